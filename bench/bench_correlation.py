"""Benchmark: CPU per HTTP request with and without the correlation-id middleware.

The app is what :func:`shared.web.base_app` builds (FastAPI, the body-size limit, and
:class:`shared.correlation.CorrelationMiddleware`) with one small JSON route, called
in-process through ASGI (no socket, no server: only the application's own work is
counted). The baseline is the same app without the correlation middleware, measured
in the same run: rounds of ``--requests`` requests alternate between the two, and
the median CPU time (``time.process_time``) per request of each is printed, with
their difference and the load average. Half of the requests send an ``X-Request-ID``,
half get a new one. A second figure isolates the middleware: the same calls to a bare
ASGI app that answers at once, with and without the middleware around it (less noise
from the rest of the stack on a loaded machine).

    .venv/bin/python bench/bench_correlation.py [--requests 20000] [--rounds 7]

``--only bare|middleware`` runs just the isolated loop once (no warm-up, no output): under
``valgrind --tool=callgrind`` the difference of the two runs' instruction counts divided
by ``--requests`` is the middleware's cost per request, free of the machine's load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from typing import Any

from fastapi import FastAPI

from shared.correlation import CorrelationMiddleware
from shared.settings import Settings
from shared.web import base_app


def app(with_correlation: bool) -> FastAPI:
    built = base_app("bench", "", None, Settings(env="test"))
    if not with_correlation:
        built.user_middleware = [
            m for m in built.user_middleware if m.cls is not CorrelationMiddleware
        ]

    @built.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    return built


def scope(i: int) -> dict[str, Any]:
    headers = [(b"host", b"bench"), (b"accept", b"application/json")]
    if i % 2:
        headers.append((b"x-request-id", f"req-{i}".encode()))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": "/ping", "raw_path": b"/ping",
            "query_string": b"", "root_path": "", "headers": headers,
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}  # fmt: skip


async def bare(scope: Any, receive: Any, send: Any) -> None:
    """An ASGI app that answers at once (the isolated measurement's inner app)."""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


async def cpu_per_request(target: Any, n: int) -> float:
    """Seconds of CPU per request over ``n`` requests."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    start = time.process_time()
    for i in range(n):
        await target(scope(i), receive, send)
    return (time.process_time() - start) / n


async def compare(title: str, apps: dict[str, Any], requests: int, rounds: int) -> None:
    for target in apps.values():  # build the middleware stacks, warm up
        await cpu_per_request(target, 500)
    samples: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(rounds):
        for name, target in apps.items():
            samples[name].append(await cpu_per_request(target, requests))
    print(f"{title} — load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    medians = {name: statistics.median(values) for name, values in samples.items()}
    for name, value in medians.items():
        spread = max(samples[name]) - min(samples[name])
        print(f"  {name:38s} {value * 1e6:8.2f} µs CPU/request (spread {spread * 1e6:.2f})")
    base, withit = medians.values()
    print(f"  correlation middleware: {(withit - base) * 1e6:+.2f} µs CPU/request "
          f"({(withit / base - 1) * 100:+.1f} %)")  # fmt: skip


async def main(requests: int, rounds: int) -> None:
    apps = {"baseline (no correlation middleware)": app(False), "with correlation": app(True)}
    await compare("base_app with one JSON route", apps, requests, rounds)
    isolated = {"bare ASGI app": bare, "bare ASGI app + middleware": CorrelationMiddleware(bare)}
    await compare("the middleware alone", isolated, requests * 10, rounds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--only", choices=["bare", "middleware"])
    args = parser.parse_args()
    if args.only:
        target = bare if args.only == "bare" else CorrelationMiddleware(bare)
        asyncio.run(cpu_per_request(target, args.requests))
    else:
        asyncio.run(main(args.requests, args.rounds))
