"""Real local receivers for the notifier tests: an SMTP sink (aiosmtpd), an HTTP
webhook receiver, a minimal profiles stand-in, and a way to serve an ASGI app on a
real port (the notifier reaches profiles over real HTTP)."""

from __future__ import annotations

import asyncio
import email
import json
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller

from deploy.nats_server import free_port


@dataclass
class Received:
    to: str
    key: str
    message: Message

    @property
    def subject(self) -> str:
        raw = self.message["Subject"] or ""
        return str(email.header.make_header(email.header.decode_header(raw)))

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                payload = part.get_payload(decode=True)
                return payload.decode() if isinstance(payload, bytes) else ""
        return ""


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 that records what it accepts; can go down and up."""

    port: int = field(default_factory=free_port)
    rcpt_delay_s: float = 0.0
    #: Wait after recording a message, before the 250 reply (a slow relay: a client
    #: killed meanwhile has delivered without hearing it).
    data_delay_s: float = 0.0
    #: Reply to the end of DATA; anything but 250 refuses the message (nothing recorded).
    data_reply: str = "250 Message accepted"
    received: list[Received] = field(default_factory=list)
    #: One entry per accepted message: the id of the SMTP session (connection) it came on.
    sessions: list[int] = field(default_factory=list)
    _controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?mode=insecure&from=entraide@localhost"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_delay_s:
            await asyncio.sleep(self.rcpt_delay_s)  # slow relay: time is spent before DATA
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.data_reply.startswith("250"):
            return self.data_reply
        self.sessions.append(id(session))
        message = email.message_from_bytes(envelope.content)
        for to in envelope.rcpt_tos:
            self.received.append(Received(to, message.get("X-Entraide-Message-Key", ""), message))
        if self.data_delay_s:
            await asyncio.sleep(self.data_delay_s)
        return self.data_reply

    def start(self) -> SmtpSink:
        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, server_hostname="sink.test"
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def per_recipient(self) -> Counter[str]:
        return Counter(r.to for r in self.received)

    def per_key(self) -> Counter[str]:
        return Counter(r.key for r in self.received)


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
        member_id = path.rsplit("/", 1)[-1]
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
