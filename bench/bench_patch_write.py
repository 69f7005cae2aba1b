"""Benchmark: the write of ``PATCH /me`` alone — CPU time per write, commits, GC passes.

No HTTP, no broker: the profiles service layer (``update_own_profile_async``: the
group commit, the outbox row, the answer built from the written record) on a SQLite
file with ``synchronous=FULL``, as the service opens it, ``--members`` members,
``--writers`` concurrent callers in one event loop (like 16 connections), each
changing the availability of its own members in turn.

Under a loaded machine wall-clock figures drift; the CPU time of the process per write
(``time.process_time``: every thread, the writer and the checkpoint thread included)
is the steadier figure, for comparing two versions of the code run back to back.
Printed too: latency quantiles of the writes (wall), the group commit's units per
commit, the garbage collector's passes and their longest pause, the load average.

    .venv/bin/python bench/bench_patch_write.py [--members 2000] [--writes 6000]
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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.profiles.api.schemas import MemberCreate, MemberUpdate  # noqa: E402
from services.profiles.main import MIGRATIONS  # noqa: E402
from services.profiles.service_layer.own_profile import update_own_profile_async  # noqa: E402
from services.profiles.service_layer.registration import register_member  # noqa: E402
from shared import group_commit  # noqa: E402
from shared.db import make_engine  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.settings import Settings  # noqa: E402

FREQUENCIES = ("weekly", "fortnightly", "monthly", "quarterly")


def member(k: int) -> MemberCreate:
    return MemberCreate.model_validate(
        {
            "display_name": f"Membre {k}",
            "email": f"m{k}@example.com",
            "site": "Lyon Part-Dieu",
            "languages": ["fr", "en"],
            "skills": {"organisation_deplacements": 3, "gestion_stress": 2},
            "skills_wanted": ["gestion_projet"],
            "availability": {"frequency": "monthly", "mode": "remote"},
            "opt_ins": {"mentor": True, "mentor_capacity": 2, "groups": True},
        }
    )


class GcPauses:
    """The collector's passes while ``on``: (generation, seconds) each."""

    def __init__(self) -> None:
        self.on = False
        self.pauses: list[tuple[int, float]] = []
        self._start: tuple[int, float] | None = None

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if not self.on:
            return
        if phase == "start":
            self._start = (info["generation"], time.perf_counter())
        elif self._start is not None:
            self.pauses.append((self._start[0], time.perf_counter() - self._start[1]))
            self._start = None


async def drive(engine: Any, ids: list[str], writes: int, writers: int) -> list[float]:
    settings = Settings()
    latencies: list[float] = []

    async def writer(k: int) -> None:
        mine = ids[k::writers]
        for i in range(writes // writers):
            member_id = mine[i % len(mine)]
            patch = MemberUpdate.model_validate(
                {"availability": {"frequency": FREQUENCIES[(i + k) % len(FREQUENCIES)]}}
            )
            t0 = time.perf_counter()
            await update_own_profile_async(engine, member_id, patch, settings)
            latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(writer(k) for k in range(writers)))
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--writes", type=int, default=6_000)
    parser.add_argument("--writers", type=int, default=16)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'profiles.db'}", "FULL")
        upgrade(engine, MIGRATIONS)
        ids = [register_member(engine, member(k)).id for k in range(args.members)]
        asyncio.run(drive(engine, ids, args.writers * 20, args.writers))  # warm-up
        writer = group_commit.writer(engine)
        commits, units = writer.commits, writer.units
        pauses = GcPauses()
        gc.callbacks.append(pauses)
        gc.collect()
        pauses.on = True
        cpu0, wall0 = time.process_time(), time.perf_counter()
        latencies = asyncio.run(drive(engine, ids, args.writes, args.writers))
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        pauses.on = False
        commits, units = writer.commits - commits, writer.units - units
        engine.dispose()
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    full = [d for g, d in pauses.pauses if g == 2]
    print(
        f"{len(latencies)} writes by {args.writers} callers in {wall:.2f} s: "
        f"{len(latencies) / wall:.0f} writes/s, CPU {cpu / len(latencies) * 1000:.3f} ms per write"
    )
    print(
        f"latency ms p50 {cuts[49] * 1000:.2f} p95 {cuts[94] * 1000:.2f} "
        f"p99 {cuts[98] * 1000:.2f} max {max(latencies) * 1000:.2f}"
    )
    print(f"group commit: {units} units in {commits} commits ({units / max(1, commits):.1f} each)")
    spent = sum(d for _, d in pauses.pauses)
    print(
        f"GC: {len(pauses.pauses)} passes, {spent * 1000:.1f} ms in all, "
        f"longest {max((d for _, d in pauses.pauses), default=0.0) * 1000:.2f} ms; "
        f"{len(full)} full, longest {max(full, default=0.0) * 1000:.2f} ms"
    )
    print(f"load average {os.getloadavg()[0]:.1f} after the run")


if __name__ == "__main__":
    main()
