"""Benchmark: the matcher's CPU after a round is published (the end-to-end bench's members).

What the matcher does when a coordinator publishes a round (issue 14 item 2: that CPU
competes with the notifier sending the announcements on a 2-core machine), step by
step, each step's CPU (``time.process_time``) measured alone:

1. ``publish``: :func:`~services.matcher.service_layer.rounds.publish_round` (one match
   event per match into the outbox, every pair into the history, the life of each match);
2. ``relay``: the outbox relay draining those events (``OutboxRelay.drain_once`` with the
   matcher's settings) to a JetStream stand-in that acknowledges at once: the relay's own
   CPU (reading rows, marking them sent), without nats-py and the server;
3. ``facts``: the health consumer's work for those events as they come back from the
   stream, in its batches of 500: the bodies validated as one JSON array
   (``EventBatch``), then :func:`~services.matcher.service_layer.health.record_events`;
4. ``refresh``: what the health refresher computes once those facts are in
   (:func:`~services.matcher.service_layer.health_views.refresh`), the dashboard's
   standard reports having been computed before the publication (as in the stack,
   where the import and the earlier rounds made them).

The matcher's database is ``bench_round_cpu.py``'s (HR's CSV through profiles' import and
the matcher's projection, built once at ``--db``). Each measurement is its own process on
a fresh copy, with one code tree first on ``sys.path`` (``--code``: e.g. ``main`` extracted
by ``git archive``): the round of the kind is created and computed (not timed), then the
steps above run. Code trees are interleaved, ``--repeat`` times; the load average is
printed with each line.

    .venv/bin/python bench/bench_publish_cpu.py --db /tmp/round-cpu.db \
        --code /tmp/main-tree --code . --kinds groups rotations --repeat 2
    .venv/bin/python bench/bench_publish_cpu.py --db /tmp/round-cpu.db --profile rotations
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_round_cpu import (  # noqa: E402
    arguments,
    build,
    claimed_round,
    in_own_process,
    load,
)

STEPS = ("publish", "relay", "facts", "refresh")


class AckingJetStream:
    """Stands in for JetStream: every publish acknowledged at once, bodies kept."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, bytes]] = []

    async def publish(self, subject: str, payload: bytes, **_: Any) -> None:
        self.bodies.append((subject, payload))


def measure(code: Path, db: Path, kind: str, profile: bool = False) -> dict[str, Any]:
    """Compute a ``kind`` round with ``code``'s matcher, then time each step of publishing it."""
    uow, rid = claimed_round(code, db, kind)
    from services.matcher.adapters.orm import outbox
    from services.matcher.handlers import HEALTH_BATCH, MATCH_EVENTS
    from services.matcher.service_layer import computation, health, health_views
    from services.matcher.service_layer.rounds import publish_round
    from shared.outbox import OutboxRelay
    from shared.subjects import MATCHES_ALL

    computation.run_round(uow, rid)
    js = AckingJetStream()
    relay = OutboxRelay(uow.engine, outbox, js, window=1)  # type: ignore[arg-type]

    async def drain() -> None:
        while await relay.drain_once():
            pass

    asyncio.run(drain())  # the round's own events so far (requested, proposed)
    today = datetime.now(UTC).date()
    health_views.refresh(uow, today)  # the standard reports, as before the publication
    js.bodies.clear()
    cpu: dict[str, float] = {}
    loads = [load()]

    def timed(step: str, work: Any) -> None:
        t0 = time.process_time()
        if profile:  # CPU time, not wall time: on a shared machine wall time is other work
            import cProfile
            import pstats

            prof = cProfile.Profile(time.process_time)
            prof.runcall(work)
            print(f"--- {step}", file=sys.stderr)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        else:
            work()
        cpu[step] = time.process_time() - t0

    timed("publish", lambda: publish_round(uow, rid))
    timed("relay", lambda: asyncio.run(drain()))
    matches = MATCHES_ALL.removesuffix(">")
    bodies = [body for subject, body in js.bodies if subject.startswith(matches)]

    def facts() -> None:
        for i in range(0, len(bodies), HEALTH_BATCH):
            batch = MATCH_EVENTS.at_once(bodies[i : i + HEALTH_BATCH])
            assert batch is not None
            health.record_events(uow, batch)

    timed("facts", facts)
    timed("refresh", lambda: health_views.refresh(uow, today))
    loads.append(load())
    network = health_views.network_report(uow, today)
    return {
        "cpu": cpu, "events": len(bodies), "load": " -> ".join(loads),
        "network": [network.members, network.edges, network.isolated, network.components],
    }  # fmt: skip


def compare(codes: list[Path], db: Path, kinds: list[str], repeat: int) -> None:
    print(f"{'':3}{'kind':<10} {'code':<24} " + " ".join(f"{s:>8}" for s in STEPS)
          + f" {'total':>8}  (CPU s)")  # fmt: skip
    for turn in range(1, repeat + 1):
        for kind in kinds:
            for code in codes:
                got = in_own_process(__file__, code, db, kind)
                steps = " ".join(f"{got['cpu'][s]:8.2f}" for s in STEPS)
                total = sum(got["cpu"].values())
                print(
                    f"{turn:<3}{kind:<10} {str(code)[-24:]:<24} {steps} {total:8.2f}  "
                    f"{got['events']} events, network {got['network']}, {got['load']}",
                    flush=True,
                )


def main() -> None:
    ap = arguments(__doc__)
    ap.add_argument("--profile", metavar="KIND", help="cProfile each step of a KIND round")
    args = ap.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.db, args.kinds[0]), default=str))
        return
    if not args.db.exists():
        build(args.db, args.members)
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "matcher.db"
            shutil.copy(args.db, copy)
            print(measure(ROOT, copy, args.profile, profile=True)["cpu"])
        return
    compare(args.code or [ROOT], args.db, args.kinds, args.repeat)


if __name__ == "__main__":
    main()
