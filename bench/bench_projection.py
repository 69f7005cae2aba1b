"""How fast the matcher's projection consumes member events from JetStream.

Pre-loads N member events into a fresh stream on a real local nats-server, then
measures, in the same run:
  * baseline: raw nats-py pull-consume-and-ack (no storage) of the same N messages;
  * the matcher: its FastStream batch subscriber parsing, storing (SQLite, batched
    transactions, idempotency ids) and acknowledging them, until the projection
    holds every member and the consumer has nothing pending.

The matcher runs as ``services.runner`` runs it: what start-up allocated is frozen out
of the garbage collector's reach (``shared.web.settle_heap``); ``--no-settle-heap`` runs
it as the figures before 2026-11-28 07:00 UTC were measured (a full collection then
walks the whole start-up heap: about 0.3 s each on this machine).

Usage: python bench/bench_projection.py [--events 50000] [--quick] [--no-settle-heap]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import nats
from nats.js.api import ConsumerConfig
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy.local.nats_server import NatsServer, free_port
from services.matcher.adapters.orm import members
from services.matcher.main import create_app
from shared import subjects
from shared.broker import ensure_streams
from shared.events import MatchingProfile, MemberProfileUpdated, MemberRegistered, OptIns
from shared.settings import Settings

SITES = ["Paris", "Lyon", "Lille", "Nantes", "Marseille"]


def make_events(n: int, seed: int = 0) -> list[bytes]:
    rng = random.Random(seed)
    n_members = max(1, n // 2)
    out = []
    for i in range(n):
        mid = f"m{i % n_members}"
        version = i // n_members + 1
        profile = MatchingProfile(
            site=rng.choice(SITES),
            function=rng.choice(["AD", "AE", "AC"]),
            skills={f"s{k}": rng.randrange(5) for k in rng.sample(range(40), 8)},
            skills_wanted=tuple(f"s{k}" for k in rng.sample(range(40), 3)),
            themes=tuple(f"t{k}" for k in rng.sample(range(12), 3)),
            opt_ins=OptIns(mentee=True, groups=True),
        )
        cls = MemberRegistered if version == 1 else MemberProfileUpdated
        event = cls(producer="bench", member_id=mid, version=version, profile=profile)
        out.append(event.model_dump_json().encode())
    return out


async def preload(url: str, settings: Settings, payloads: list[bytes]) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_streams(js, settings)
    pending = []
    for i, data in enumerate(payloads):
        subject = (
            subjects.MEMBER_REGISTERED
            if b'"member.registered"' in data
            else subjects.MEMBER_PROFILE_UPDATED
        )
        pending.append(js.publish(subject, data, timeout=60))
        if len(pending) >= 500 or i == len(payloads) - 1:
            await asyncio.gather(*pending)
            pending = []
    await nc.close()


async def raw_baseline(url: str, n: int) -> tuple[float, float]:
    """(seconds, CPU seconds of this process) to pull and acknowledge ``n`` messages."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    sub = await js.pull_subscribe(
        subjects.MEMBERS_ALL,
        durable="bench-raw",
        stream=subjects.STREAM_MEMBERS,
        config=ConsumerConfig(max_ack_pending=20_000),
    )
    t0, c0 = time.perf_counter(), time.process_time()
    got = 0
    while got < n:
        msgs = await sub.fetch(1000, timeout=5)
        for m in msgs:
            await m.ack()
        got += len(msgs)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    await nc.close()
    return elapsed, cpu


async def matcher_run(
    settings: Settings, n_members: int, n_events: int, settle_heap: bool = True
) -> tuple[float, float, float]:
    """(seconds from app start to all acked, events/s once consuming: start-up excluded,
    CPU seconds per event of this process (every thread) once consuming)."""
    app = create_app(settings)
    app.state.settle_heap = settle_heap  # as services.runner does in a service's process
    t0 = time.perf_counter()
    first: tuple[float, int, float] | None = None
    async with app.router.lifespan_context(app):
        engine = app.state.engine
        js = app.state.broker.connection.jetstream()
        while True:
            info = await js.consumer_info(subjects.STREAM_MEMBERS, "matcher-members")
            done = n_events - info.num_pending - info.num_ack_pending
            now = time.perf_counter()
            if first is None and done > 0:
                first = (now, done, time.process_time())
            if info.num_pending == 0 and info.num_ack_pending == 0:
                break
            await asyncio.sleep(0.01)
        elapsed, cpu_end = time.perf_counter() - t0, time.process_time()
        with engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(members)).scalar_one()
            low = conn.execute(select(func.min(members.c.version))).scalar_one()
        assert count == n_members and low == 2, (count, low)  # every update stored
    assert first is not None
    rate = (n_events - first[1]) / max(1e-9, (now - first[0]))
    return elapsed, rate, (cpu_end - first[2]) / max(1, n_events - first[1])


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-settle-heap", dest="settle_heap", action="store_false")
    args = parser.parse_args()
    n = 5_000 if args.quick else args.events
    with tempfile.TemporaryDirectory() as tmp:
        server = NatsServer(Path(tmp) / "nats", port=free_port()).start()
        try:
            settings = Settings(env="test", data_dir=Path(tmp), nats_url=server.url)
            payloads = make_events(n)
            t0 = time.perf_counter()
            await preload(server.url, settings, payloads)
            load_s = time.perf_counter() - t0
            raw_s, raw_cpu = await raw_baseline(server.url, n)
            matcher_s, matcher_rate, matcher_cpu = await matcher_run(
                settings, n // 2, n, args.settle_heap
            )
        finally:
            server.stop()
    print(f"events: {n} (each of {n // 2} members registered then updated once)")
    print(f"matcher start-up heap frozen (settle_heap, as services.runner): {args.settle_heap}")
    print(f"{'step':<52}{'seconds':>9}{'events/s':>11}")
    print(f"{'preload (publish with PubAck, 500 in flight)':<52}{load_s:>9.2f}{n / load_s:>11.0f}")
    print(f"{'baseline: raw nats-py pull + ack, no storage':<52}{raw_s:>9.2f}{n / raw_s:>11.0f}")
    total = f"{matcher_s:>9.2f}{n / matcher_s:>11.0f}"
    print(f"{'matcher projection, incl. app start-up':<52}{total}")
    print(f"{'matcher projection, steady (parse + store + ack)':<52}{'':>9}{matcher_rate:>11.0f}")
    print(f"matcher steady / raw baseline throughput: {matcher_rate / (n / raw_s):.2f}")
    print(
        f"CPU per event: raw baseline {raw_cpu / n * 1e6:.0f} us,"
        f" matcher steady {matcher_cpu * 1e6:.0f} us"
    )
    print("load average (1, 5, 15 min):", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    asyncio.run(main())
