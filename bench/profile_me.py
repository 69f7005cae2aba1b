"""Profile: where the CPU time of ``GET /me`` and ``PATCH /me`` goes, layer by layer.

The profiles app as its service builds it (every middleware, the auth dependency, the
routes, the group commit on a SQLite file with ``synchronous=FULL``, the outbox relay
publishing to a real nats-server), driven **in-process through ASGI** by
``--connections`` concurrent callers in one event loop, each request with its own
member's token. No HTTP server: uvicorn and httptools are left out (the bare
baseline of ``bench_profiles_api.py`` holds them); everything from the app's first
middleware down is in.

Two figures per route: the process CPU time per request (``time.process_time``, every
thread: the writer and the relay included), then, with ``--profile``, cProfile of the
event loop's thread and of the group commit's writer thread, cumulative time of the
layers (``--top`` lines each). Under load the absolute figures drift; compare two
versions of the code run back to back.

    .venv/bin/python bench/profile_me.py [--members 2000] [--requests 4000] [--profile]
    valgrind --tool=callgrind --instr-atstart=no \
        .venv/bin/python bench/profile_me.py --members 100 --requests 600 --repeat 1 --callgrind

With ``--callgrind`` each measured slice is dumped to a part of its own (``GET-off``,
``PATCH-off``): its ``totals:`` line over the requests is the instructions per request.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_patch_write import FREQUENCIES, member  # noqa: E402
from deploy.local.nats_server import NatsServer, free_port, password_settings  # noqa: E402
from services.profiles.main import create_app  # noqa: E402
from services.profiles.service_layer.registration import register_member  # noqa: E402
from shared import group_commit  # noqa: E402
from shared.auth import mint_token  # noqa: E402
from shared.settings import Settings  # noqa: E402

#: How the profiles are listed (``--sort``).
SORT = "cumulative"


class Caller:
    """Calls an ASGI app as an HTTP server would: one scope, one body, one answer."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, method: str, token: str, body: bytes = b"") -> int:
        headers = [
            (b"host", b"test"),
            (b"authorization", b"Bearer " + token.encode()),
            (b"accept", b"application/json"),
        ]
        if body:
            headers += [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": "/me",
            "raw_path": b"/me",
            "root_path": "",
            "query_string": b"",
            "headers": headers,
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.Event().wait()  # a client that stays connected
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await self.app(scope, receive, send)
        return status


async def drive(
    call: Caller, method: str, tokens: list[str], requests: int, conns: int
) -> list[float]:
    """``requests`` calls by ``conns`` concurrent callers; their latencies (seconds)."""
    latencies: list[float] = []

    async def worker(k: int) -> None:
        for i in range(requests // conns):
            body = b""
            if method == "PATCH":
                frequency = FREQUENCIES[(i + k) % len(FREQUENCIES)]
                body = json.dumps({"availability": {"frequency": frequency}}).encode()
            t0 = time.perf_counter()
            status = await call(method, tokens[(k + i * conns) % len(tokens)], body)
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                raise RuntimeError(f"{method} /me answered {status}")

    await asyncio.gather(*(worker(k) for k in range(conns)))
    return latencies


def profiled_writer(profiles: list[cProfile.Profile]) -> None:
    """Profile each group commit while ``profiles`` holds a profiler (the writer's)."""
    commit = group_commit.Writer._commit

    def _commit(self: group_commit.Writer, conn: Any, group: Any) -> None:
        if not profiles:
            commit(self, conn, group)
            return
        profiles[0].runcall(commit, self, conn, group)

    group_commit.Writer._commit = _commit  # type: ignore[method-assign]


def show(title: str, profiles: list[cProfile.Profile], top: int) -> None:
    if not profiles:
        return
    out = io.StringIO()
    try:
        stats = pstats.Stats(*profiles, stream=out)
    except TypeError:  # pstats refuses a profiler that saw no call
        print(f"--- {title}: nothing ran")
        return
    stats.sort_stats(SORT).print_stats(top)
    print(f"--- {title}")
    print(out.getvalue())


async def run(args: argparse.Namespace, settings: Settings) -> None:
    app = create_app(settings)
    writer_profiles: list[cProfile.Profile] = []
    if args.profile:
        profiled_writer(writer_profiles)
    async with app.router.lifespan_context(app):
        engine = app.state.engine
        ids = await asyncio.to_thread(
            lambda: [register_member(engine, member(k)).id for k in range(args.members)]
        )
        tokens = [mint_token(settings, i) for i in ids]
        call = Caller(app)
        for method in ("GET", "PATCH"):
            await drive(call, method, tokens, args.connections * 20, args.connections)
            cpus, latencies = [], []
            for _ in range(args.repeat):
                callgrind(args.callgrind, f"{method} on")
                cpu0, wall0 = time.process_time(), time.perf_counter()
                latencies += await drive(call, method, tokens, args.requests, args.connections)
                cpus.append((time.process_time() - cpu0) / args.requests * 1000)
                callgrind(args.callgrind, f"{method} off")
            wall = time.perf_counter() - wall0
            cuts = statistics.quantiles(latencies, n=100, method="inclusive")
            print(
                f"{method} /me: {args.repeat} x {args.requests} requests, {args.connections} "
                f"at once, {args.requests / wall:.0f}/s in the last, CPU ms/request min "
                f"{min(cpus):.3f} median {statistics.median(cpus):.3f}; latency ms p50 "
                f"{cuts[49] * 1000:.1f} p99 {cuts[98] * 1000:.1f}"
            )
            if args.profile:
                await profiled(call, method, tokens, args, writer_profiles)


def callgrind(enabled: bool, what: str) -> None:
    """Under ``valgrind --tool=callgrind --instr-atstart=no``: count instructions only
    while the requests run (``callgrind_control -i on|off``; ``-d`` dumps a part each
    time it is switched off, named by ``what``)."""
    if not enabled:
        return
    pid = str(os.getpid())
    if what.endswith(" on"):
        subprocess.run(["callgrind_control", "-i", "on", pid], check=True, capture_output=True)
    else:
        subprocess.run(["callgrind_control", "-i", "off", pid], check=True, capture_output=True)
        subprocess.run(
            ["callgrind_control", "-d", what.replace(" ", "-"), pid],
            check=True,
            capture_output=True,
        )


async def profiled(
    call: Caller,
    method: str,
    tokens: list[str],
    args: argparse.Namespace,
    writer_profiles: list[cProfile.Profile],
) -> None:
    """One more slice with cProfile (thread CPU time) on the loop and the writer."""
    loop_profile = cProfile.Profile(time.thread_time)
    writer_profiles.append(cProfile.Profile(time.thread_time))
    loop_profile.enable()
    await drive(call, method, tokens, args.requests, args.connections)
    loop_profile.disable()
    show(f"{method} /me: event loop", [loop_profile], args.top)
    show(f"{method} /me: group commit writer", writer_profiles, args.top)
    writer_profiles.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=4_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=5, help="slices measured per route")
    parser.add_argument("--profile", action="store_true", help="cProfile the loop and writer")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument(
        "--callgrind", action="store_true", help="run under callgrind: count the slices only"
    )
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime")
    parser.add_argument(
        "--switch-interval", type=float, default=None, help="sys.setswitchinterval (s)"
    )
    args = parser.parse_args()
    global SORT
    SORT = args.sort
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.switch_interval is not None:
        sys.setswitchinterval(args.switch_interval)
    with tempfile.TemporaryDirectory() as tmp:
        server = NatsServer(Path(tmp) / "nats", port=free_port())
        server.start()
        try:
            settings = Settings(
                env="test",
                data_dir=Path(tmp) / "data",
                nats_url=server.address,
                **password_settings(server.passwords),  # type: ignore[arg-type]
            )
            asyncio.run(run(args, settings))
        finally:
            server.stop()
    print(f"load average {os.getloadavg()[0]:.1f} after the run")


if __name__ == "__main__":
    main()
