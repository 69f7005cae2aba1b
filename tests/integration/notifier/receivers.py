"""Real local receivers for the notifier tests: an SMTP sink (deploy.local.smtp_sink), an HTTP
webhook receiver, a minimal profiles stand-in, and a way to serve an ASGI app on a
real port (the notifier reaches profiles over real HTTP)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import uvicorn

from deploy.local.nats_server import free_port


class _Recorder(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status = self.server.owner.reply(self.path, dict(self.headers), body)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        status, payload = self.server.owner.answer(self.path, dict(self.headers))
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: Any


class HttpReceiver:
    """A real HTTP server: records POSTs (webhooks) and answers GETs (profiles stand-in)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.posts: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.failures_left: dict[str, int] = {}
        self.members: dict[str, dict[str, Any]] = {}
        self.gets = 0
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", self.port), _Recorder)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def reply(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            if self.failures_left.get(path, 0) > 0:
                self.failures_left[path] -= 1
                return 503
            self.posts.append((path, headers, json.loads(body or b"{}")))
            return 200

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, Any]:
        with self._lock:
            self.gets += 1
        if not headers.get("Authorization", "").startswith("Bearer "):
            return 401, {"detail": "no token"}
        url = urlsplit(path)
        if url.path == "/members/contacts":  # several at once; the erased are left out
            ids = parse_qs(url.query).get("id", [])
            items = [{"id": i, **self.members[i]} for i in ids if i in self.members]
            return 200, {"items": items, "total": len(items), "limit": 500, "offset": 0}
        member_id = url.path.rsplit("/", 1)[-1]
        member = self.members.get(member_id)
        return (200, member) if member else (404, {"detail": "introuvable"})

    def __enter__(self) -> HttpReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


@asynccontextmanager
async def serving(app: Any, port: int) -> AsyncIterator[str]:
    """Serve an ASGI app (lifespan included) on 127.0.0.1:``port`` in this event loop."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    deadline = time.monotonic() + 20
    while not server.started:
        if task.done() or time.monotonic() > deadline:
            raise RuntimeError(f"app did not start on port {port}: {task}")
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


def member_payload(name: str, email_addr: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"display_name": name, "email": email_addr, "site": "Lyon Part-Dieu"}
    body.update(extra)
    return body


async def wait_until(check: Callable[[], Any], timeout: float = 20.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout} s: {what}")
        await asyncio.sleep(0.1)
