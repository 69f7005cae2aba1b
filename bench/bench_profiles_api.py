"""Benchmark: the profiles API (``GET /me``, ``PATCH /me``) against a bare FastAPI app.

Real parts, as ``entraide up`` runs them: nats-server, profiles, matcher, notifier and
the portal, each its own process on 127.0.0.1 (the SMTP sink as the notifier's relay).
HR's CSV of ``--members`` people is imported into profiles first. In the same run a
bare FastAPI app (one ``GET`` answering a small JSON object, no database, no auth) is
served by uvicorn with the same settings as the services (one worker, same host,
uvloop/httptools as installed) — the baseline.

Each measurement drives one server at ``--connections`` (16 and 50) keep-alive
connections for ``--seconds`` (after one second of warm-up) with an aiohttp load
generator running in **its own process**. Only 2 cores: the server under test is
pinned to CPU 0 (``sched_setaffinity``), the load generator and every other process of
the stack (nats-server, matcher, notifier, portal) to CPU 1, so the generator never
takes the measured server's core. The generator prints its own CPU use: near 100 %
means the figure is the generator's limit, not the server's.

``GET /me`` and ``PATCH /me`` are called as members (each request with a member's own
token, members spread over the connections). Every ``PATCH`` changes the member's
availability (a matching attribute), so each is a durable write with one
``member.profile_updated`` row in the outbox, published by the relay to JetStream and
consumed by the matcher while the load runs.

    .venv/bin/python bench/bench_profiles_api.py [--members 10000] [--seconds 8] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_import import make_csv  # noqa: E402
from bench.bench_portal import with_themes  # noqa: E402
from deploy.local.nats_server import free_port  # noqa: E402
from deploy.local.smtp_sink import SmtpSink  # noqa: E402
from shared.auth import mint_token  # noqa: E402
from tests.browser.stack import PortalStack, portal_settings  # noqa: E402

SERVER_CPU, OTHER_CPU = 0, 1
FREQUENCIES = ("weekly", "fortnightly", "monthly", "quarterly")
GOALS = {"GET /me": 0.35, "PATCH /me": 0.12}
GOAL_PATCH_P99_MS = 30.0


# --- the bare baseline -----------------------------------------------------------------


def serve_bare(port: int) -> None:
    """The baseline: a FastAPI app with one GET, served like the services (runner.py)."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/me")
    def me() -> dict[str, Any]:  # sync, like the services' routes (thread pool)
        return {"id": "bare", "display_name": "Bare", "version": 1}

    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None)


# --- the load generator (its own process) ---------------------------------------------


async def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """Keep ``connections`` requests in flight for ``seconds``; latencies of each answer."""
    import aiohttp

    tokens: list[str] = spec["tokens"]
    conns: int = spec["connections"]
    patch = spec["method"] == "PATCH"
    latencies: list[float] = []
    finished: list[float] = []  # when each measured answer came, from the slice's start
    errors: dict[int, int] = {}
    start = time.perf_counter()
    measure_from = start + spec["warmup"]
    stop = measure_from + spec["seconds"]

    async def worker(k: int, session: aiohttp.ClientSession) -> None:
        mine = tokens[k::conns] or tokens
        last: dict[int, int] = {}
        i = 0
        while (now := time.perf_counter()) < stop:
            n = i % len(mine)
            headers = {"Authorization": f"Bearer {mine[n]}"}
            t0 = time.perf_counter()
            if patch:
                last[n] = (last.get(n, k) + 1) % len(FREQUENCIES)
                body = {"availability": {"frequency": FREQUENCIES[last[n]]}}
                async with session.patch(spec["url"], json=body, headers=headers) as r:
                    await r.read()
            else:
                async with session.get(spec["url"], headers=headers) as r:
                    await r.read()
            t1 = time.perf_counter()
            if r.status != 200:
                errors[r.status] = errors.get(r.status, 0) + 1
            elif now >= measure_from:
                latencies.append(t1 - t0)
                finished.append(t1 - measure_from)
            i += 1

    connector = aiohttp.TCPConnector(limit=conns, force_close=False)
    cpu0 = time.process_time()
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(k, session) for k in range(conns)))
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - start
    return {"latencies": latencies, "finished": finished, "errors": errors, "gen_cpu": cpu / wall}


def run_driver(spec: dict[str, Any]) -> dict[str, Any]:
    """Run :func:`drive` in a child process pinned to the other core; its result."""
    proc = subprocess.run(
        [sys.executable, __file__, "--drive"],
        input=json.dumps(spec).encode(),
        capture_output=True,
        check=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {OTHER_CPU}),
    )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def slow_windows(
    slices: list[tuple[list[float], list[float]]], over: float, width: float = 0.1
) -> tuple[int, int, int, int]:
    """Where the answers slower than ``over`` (s) came: their count, how many ``width``-s
    windows hold them, how many windows there were, the most in one window.

    Slow answers bunched into a few windows mean stalls (a checkpoint, a GC pass, a
    relay burst); spread over many, queueing. ``slices``: (latencies, finish times).

    >>> slow_windows([([0.01, 0.2, 0.3, 0.01], [0.05, 0.12, 0.15, 0.31])], over=0.1)
    (2, 1, 4, 2)
    """
    slow = held = windows = most = 0
    for latencies, finished in slices:
        counts: dict[int, int] = {}
        for latency, at in zip(latencies, finished, strict=True):
            if latency > over:
                counts[int(at / width)] = counts.get(int(at / width), 0) + 1
        slow += sum(counts.values())
        held += len(counts)
        windows += int(max(finished, default=0.0) / width) + 1
        most = max([most, *counts.values()])
    return slow, held, windows, most


def quantiles_ms(samples: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 of ``samples`` (seconds) in milliseconds.

    >>> quantiles_ms([i / 1000 for i in range(1, 101)])
    (50.5, 95.05, 99.01)
    """
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return (round(cuts[49] * 1000, 2), round(cuts[94] * 1000, 2), round(cuts[98] * 1000, 2))


# --- the stack ------------------------------------------------------------------------


@dataclass(frozen=True)
class Bare:
    pid: int
    port: int


def pin(pid: int, cpu: int) -> None:
    """Pin ``pid`` and its threads to ``cpu``."""
    for task in os.listdir(f"/proc/{pid}/task"):
        os.sched_setaffinity(int(task), {cpu})


def member_tokens(stack: PortalStack, hr: httpx.Client, count: int) -> list[str]:
    """Tokens of ``count`` members picked from across the imported ones."""
    base = stack.url("profiles") + "/members"
    total = hr.get(base, params={"limit": 1}).json()["total"]
    rng = random.Random(5)
    ids: list[str] = []
    pages = range(0, total, 500)
    for offset in sorted(rng.sample(pages, min(len(pages), -(-count // 500)))):
        page = hr.get(base, params={"limit": 500, "offset": offset}).json()["items"]
        ids += [m["id"] for m in page]
    rng.shuffle(ids)
    return [mint_token(stack.settings, m, ("member",)) for m in ids[:count]]


def import_members(stack: PortalStack, hr: httpx.Client, members: int) -> float:
    catalogue = hr.get(stack.url("profiles") + "/themes", params={"limit": 500}).json()
    content = with_themes(make_csv(members, seed=11), [t["code"] for t in catalogue["items"]])
    t0 = time.perf_counter()
    r = hr.post(
        stack.url("profiles") + "/members/import", files={"file": ("rh.csv", content, "text/csv")}
    )
    if r.status_code != 200 or r.json().get("created") != members:
        raise RuntimeError(f"import failed: {r.status_code} {r.text[:500]}")
    return time.perf_counter() - t0


def wait_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise TimeoutError(url)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(spec: dict[str, Any], pid: int, py_spy: Path | None = None) -> dict[str, Any]:
    """One slice of load; the answers' latencies and the server's CPU time.

    With ``py_spy`` (a file), py-spy samples the server during the slice (without
    pausing it, idle frames included) and writes its raw stacks there.
    """
    spy = None
    if py_spy is not None:
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(pid),
                "--nonblocking",
                "--idle",
                "--threads",
                "--format",
                "raw",
                "--rate",
                "200",
                "--duration",
                str(int(spec["seconds"] + spec["warmup"])),
                "--output",
                str(py_spy),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: os.sched_setaffinity(0, {OTHER_CPU}),
        )
    cpu0 = cpu_seconds(pid)
    out = run_driver(spec)
    cpu = cpu_seconds(pid) - cpu0
    if spy is not None:
        spy.wait()
    return {**out, "cpu": cpu}


def summary(name: str, conns: int, slices: list[dict[str, Any]], seconds: float) -> dict[str, Any]:
    lat = [x for s in slices for x in s["latencies"]]
    errors: dict[str, int] = {}
    for s in slices:
        for code, n in s["errors"].items():
            errors[code] = errors.get(code, 0) + n
    nan = float("nan")  # fewer than two answers in the slices: no quantiles
    p50, p95, p99 = quantiles_ms(lat) if len(lat) >= 2 else (nan, nan, nan)
    cpu = sum(s["cpu"] for s in slices)
    row = {
        "rps": len(lat) / (seconds * len(slices)),
        "p99": p99,
        "cpu_ms": cpu / max(1, len(lat) + sum(errors.values())) * 1000,
        "gen_cpu": max(s["gen_cpu"] for s in slices),
    }
    print(
        f"{name:<12} {conns:>5} {row['rps']:>9.0f} {p50:>8.2f} {p95:>8.2f} {p99:>8.2f} "
        f"{row['cpu_ms']:>9.3f} {row['gen_cpu'] * 100:>7.0f}%  {errors or ''}",
        flush=True,
    )
    if lat and len(lat) >= 2:
        slow, held, windows, most = slow_windows(
            [(s["latencies"], s["finished"]) for s in slices], over=p95 / 1000
        )
        print(
            f"{'':<12} answers over p95: {slow} in {held} of {windows} 100-ms windows "
            f"(at most {most} in one)",
            flush=True,
        )
    return row


def run(args: argparse.Namespace) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; loopback only")
    print(f"server under test on CPU {SERVER_CPU}; load generator and the rest on CPU {OTHER_CPU}")
    with tempfile.TemporaryDirectory() as tmp, SmtpSink(port=free_port()) as sink:
        stack = PortalStack(portal_settings(Path(tmp) / "data", sink))
        stack.start(timeout=60)
        bare_port = free_port()
        bare = subprocess.Popen([sys.executable, __file__, "--bare", str(bare_port)])
        try:
            token = mint_token(stack.settings, "hr-bench", ("coordinator",))
            with httpx.Client(timeout=600, headers={"Authorization": f"Bearer {token}"}) as hr:
                took = import_members(stack, hr, args.members)
                print(f"{args.members} members imported into profiles in {took:.1f} s")
                tokens = member_tokens(stack, hr, args.tokens)
            wait_up(f"http://127.0.0.1:{bare_port}/me")
            profiles_pid = stack.processes["profiles"].pid
            for pid in stack.pids():
                pin(pid, SERVER_CPU if pid == profiles_pid else OTHER_CPU)
            pin(bare.pid, SERVER_CPU)
            pin(os.getpid(), OTHER_CPU)
            time.sleep(3)  # the import's events drain through the relay and the matcher
            report(args, stack, tokens, Bare(bare.pid, bare_port))
        finally:
            bare.terminate()
            bare.wait()
            stack.stop()


def report(args: argparse.Namespace, stack: PortalStack, tokens: list[str], bare: int) -> None:
    """Drive the three targets in turns (``--rounds`` slices each), so that a change of
    the machine's load during the run falls on all three alike."""
    print(
        f"{'server':<12} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'cpu ms/req':>9} {'gen cpu':>8}"
    )
    profiles = stack.processes["profiles"].pid
    targets = [
        ("bare GET", f"http://127.0.0.1:{bare.port}/me", "GET", bare.pid),
        ("GET /me", stack.url("profiles") + "/me", "GET", profiles),
        ("PATCH /me", stack.url("profiles") + "/me", "PATCH", profiles),
    ]
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for conns in args.connections:
        slices: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in targets}
        for turn in range(args.rounds):
            for name, url, method, pid in targets:
                spy = None
                if args.py_spy and turn == 0:
                    spy = args.py_spy / f"{name.replace(' ', '').replace('/', '_')}-{conns}.txt"
                spec = {
                    "url": url,
                    "method": method,
                    "connections": conns,
                    "seconds": args.seconds,
                    "warmup": 0.5,
                    "tokens": tokens,
                }
                slices[name].append(measure(spec, pid, spy))
        for name, *_ in targets:
            rows[(name, conns)] = summary(name, conns, slices[name], args.seconds)
    print(f"load average {os.getloadavg()[0]:.1f} after the run")
    for conns in args.connections:
        bare_row = rows[("bare GET", conns)]
        for name, goal in GOALS.items():
            row = rows[(name, conns)]
            ratio = row["rps"] / bare_row["rps"]
            by_cpu = bare_row["cpu_ms"] / row["cpu_ms"]
            verdict = "ok" if ratio >= goal else "BELOW GOAL"
            print(
                f"{name:<10} / bare GET at {conns:>2}: {ratio:.3f} req/s (goal >= {goal}) "
                f"{verdict}; by server CPU per request {by_cpu:.3f}"
            )
    p99 = rows[("PATCH /me", 16)]["p99"] if 16 in args.connections else float("nan")
    verdict = "ok" if p99 <= GOAL_PATCH_P99_MS else "OVER GOAL"
    print(f"PATCH /me p99 at 16 connections: {p99:.1f} ms (goal <= {GOAL_PATCH_P99_MS}) {verdict}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--drive":
        spec = json.loads(sys.stdin.read())
        print(json.dumps(asyncio.run(drive(spec))))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--bare":
        serve_bare(int(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=4.0, help="per slice")
    parser.add_argument("--rounds", type=int, default=3, help="slices per target, in turns")
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 50])
    parser.add_argument("--tokens", type=int, default=2_000, help="distinct members calling")
    parser.add_argument(
        "--py-spy", type=Path, default=None, help="folder: py-spy the first slice of each"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 members, 2 x 2 s per figure")
    args = parser.parse_args()
    if args.py_spy:
        args.py_spy.mkdir(parents=True, exist_ok=True)
    if args.quick:
        args.members, args.seconds, args.rounds, args.tokens = 1_000, 2.0, 2, 500
    run(args)


if __name__ == "__main__":
    main()
