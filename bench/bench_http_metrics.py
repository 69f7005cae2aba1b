"""What timing every HTTP request costs: the app with :class:`shared.metrics.HttpMetrics`
against the same app without it, in the same run.

Both apps are built by :func:`shared.web.base_app` (body-size limit, problem handlers)
with one route of the shape of the API's hot ones (``/members/{member_id}``, a path
parameter, a small JSON answer); the baseline has the metrics middleware taken out
before its first request. Requests are driven straight through ASGI (no HTTP client,
no socket: what is left is the framework and the middleware), in alternating rounds so
machine load hits both alike, and measured in CPU time of this process
(``time.process_time``), which a busy shared machine disturbs far less than wall-clock.
Every request has a different member id: the histogram must not grow with them.

Usage: python bench/bench_http_metrics.py [--requests 5000] [--rounds 5]

For a figure that machine load cannot disturb, count instructions with callgrind: one
variant at a time, ``--only with`` / ``--only without``, each at two request counts;
the difference of the totals divided by the difference of the counts is the cost of one
request (start-up and warm-up cancel out)::

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p \
        python bench/bench_http_metrics.py --only with --requests 2000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.metrics import HttpMetrics, Metrics
from shared.problems import install_problem_handlers
from shared.settings import Settings
from shared.web import base_app


def build(with_metrics: bool) -> tuple[FastAPI, Metrics]:
    router = APIRouter()

    @router.get("/members/{member_id}")
    async def member(member_id: str) -> dict[str, Any]:
        return {"id": member_id, "version": 3, "site": "Lyon"}

    metrics = Metrics("bench")
    app = base_app("bench", "bench", None, Settings(env="test"), metrics)
    app.include_router(router)
    install_problem_handlers(app)
    if not with_metrics:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not HttpMetrics]
    return app, metrics


async def drive(app: FastAPI, n: int, offset: int) -> float:
    """CPU seconds for ``n`` GET requests through ``app``."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    start = time.process_time()
    for i in range(n):
        path = f"/members/m{offset + i}"
        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
            "root_path": "", "query_string": b"", "headers": [(b"host", b"bench")],
            "client": ("127.0.0.1", 1234), "server": ("127.0.0.1", 80),
        }  # fmt: skip
        await app(scope, receive, send)  # type: ignore[arg-type]
    elapsed = time.process_time() - start
    assert statuses == [200] * n, set(statuses)
    return elapsed


async def only(name: str, requests: int) -> int:
    """Drive one variant (for callgrind): warm-up, then ``requests`` requests."""
    app, _ = build(name == "with")
    await drive(app, 200, 0)
    await drive(app, requests, 1000)
    return 0


async def run(requests: int, rounds: int) -> int:
    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    apps = {"without": build(False), "with": build(True)}
    for app, _ in apps.values():  # warm up: build the middleware stacks, import paths
        await drive(app, 200, 0)
    per_request: dict[str, list[float]] = {"without": [], "with": []}
    for r in range(rounds):
        for name in ("without", "with") if r % 2 == 0 else ("with", "without"):
            seconds = await drive(apps[name][0], requests, (r + 1) * requests)
            per_request[name].append(seconds / requests * 1e6)
    series = apps["with"][1].http.collect()[0].samples
    routes = {s.labels.get("route") for s in series if "route" in s.labels}
    base = statistics.median(per_request["without"])
    timed = statistics.median(per_request["with"])
    for name, values in per_request.items():
        shown = ", ".join(f"{v:.1f}" for v in values)
        print(f"{name:>7} metrics: median {statistics.median(values):6.1f} µs CPU/request "
              f"(rounds: {shown})")  # fmt: skip
    print(f"overhead: {timed - base:+.1f} µs CPU per request ({(timed / base - 1) * 100:+.1f} %)")
    print(f"route label values after {requests * rounds} distinct paths: {sorted(routes)}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", choices=("with", "without"), help="one variant, no report")
    args = parser.parse_args()
    if args.only:
        return asyncio.run(only(args.only, args.requests))
    return asyncio.run(run(args.requests, args.rounds))


if __name__ == "__main__":
    raise SystemExit(main())
