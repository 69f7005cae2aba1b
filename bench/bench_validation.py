"""CPU per member event of the matcher's validation of a batch, before and after issue 14's
chunked validation, in one process with the matcher's modules loaded (its heap).

* before: the whole batch of 1,000 bodies validated in one call, the models kept through
  the batch, each kept profile then encoded as JSON (what the store did);
* after: :meth:`shared.broker.EventBatch.validate` with ``keep=MemberChange.of`` (32
  bodies per call, each event reduced at once to what the projection stores).

Both run alternately, several rounds, with the garbage collector on, first with the
start-up heap unfrozen then frozen (``gc.freeze``, as ``services.runner`` does); CPU time
(``time.process_time``) per event, the median of the rounds. Same bodies as
``bench_projection.py``.

Usage: python bench/bench_validation.py [--events 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_projection import make_events
from services.matcher.handlers import MEMBER_BATCH, MEMBER_EVENTS
from services.matcher.main import create_app
from services.matcher.service_layer.projection import MemberChange
from shared.settings import Settings


class NoJetStream:
    async def publish(self, *args: Any, **kwargs: Any) -> None:  # never called: all valid
        raise AssertionError("a valid body was dead-lettered")


def before(batch: list[bytes]) -> list[Any]:
    events = MEMBER_EVENTS.many.validate_json(b"[" + b",".join(batch) + b"]")
    return [e.profile.model_dump_json() for e in events]  # as the store then encoded them


async def after(batch: list[bytes]) -> list[Any]:
    return await MEMBER_EVENTS.validate(NoJetStream(), "bench", batch, MemberChange.of)  # type: ignore[arg-type]


async def cpu_per_event(step: Callable[[list[bytes]], Any], batches: list[list[bytes]]) -> float:
    n = sum(len(b) for b in batches)
    c0 = time.process_time()
    for batch in batches:
        kept = step(batch)
        if asyncio.iscoroutine(kept):
            kept = await kept
        del kept
    return (time.process_time() - c0) / n * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        create_app(Settings(env="test", data_dir=Path(tmp)))  # the service's modules and heap
    bodies = make_events(args.events)
    batches = [bodies[i : i + MEMBER_BATCH] for i in range(0, len(bodies), MEMBER_BATCH)]
    print(f"events: {args.events}, batches of {MEMBER_BATCH}, rounds: {args.rounds}")
    print(f"{'heap':<10}{'before us/event':>17}{'after us/event':>16}{'after/before':>14}")
    for heap in ("unfrozen", "frozen"):
        if heap == "frozen":
            gc.collect()
            gc.freeze()
        was: list[float] = []
        now: list[float] = []
        for _ in range(args.rounds):
            was.append(await cpu_per_event(before, batches))
            now.append(await cpu_per_event(after, batches))
        b, a = statistics.median(was), statistics.median(now)
        print(f"{heap:<10}{b:>17.1f}{a:>16.1f}{a / b:>14.2f}")
    print("load average (1, 5, 15 min):", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    asyncio.run(main())
