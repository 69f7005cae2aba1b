"""Benchmark: the two queries behind the portal's last slow pages, each against the
statement it replaced, in the same run on fresh SQLite databases.

1. The notifier recording a round's deliveries (``repository.accept_many``) while the
   member's ``/inbox`` waits: the rows inserted with one cached statement run for many
   rows, against the former chunks of 60 rows as multi-VALUES statements (compiled
   afresh each, holding the SQLite writer lock and the GIL).
2. A page of 50 of a rotations round's matches (``ORDER BY id LIMIT 50``) with the
   index ``(round_id, id)`` of matcher revision 0004_seats_index, against the index on
   ``round_id`` alone (the index dropped in the same database).

    .venv/bin/python bench/bench_portal_queries.py [--groups 1000] [--attendees 6000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, insert, text  # noqa: E402
from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: E402

from services.matcher.adapters.orm import matches  # noqa: E402
from services.matcher.main import MIGRATIONS as MATCHER  # noqa: E402
from services.notifier.adapters import repository  # noqa: E402
from services.notifier.adapters.orm import deliveries  # noqa: E402
from services.notifier.main import MIGRATIONS as NOTIFIER  # noqa: E402
from shared.db import make_engine  # noqa: E402
from shared.migrations import upgrade  # noqa: E402


def fresh(folder: str, name: str, migrations: Path) -> Engine:
    engine = make_engine(f"sqlite:///{folder}/{name}.db")
    upgrade(engine, migrations)
    return engine


def group_batches(groups: int, tag: str, per_batch: int = 100) -> list[list[Any]]:
    """Group matches of 7 members as the notifier's consumer receives them."""
    batches = []
    for b in range(0, groups, per_batch):
        batch = []
        for g in range(b, min(groups, b + per_batch)):
            ms = [f"{tag}-{g}-{i}" for i in range(7)]
            why = {"score": 1.0, "terms": {}, "reasons": ["theme:t"]}
            payload = {"type": "match.group", "event_id": f"{tag}-e{g}", "match_id": f"{tag}-{g}",
                       "round_id": tag, "members": ms, "facilitator_id": ms[0], "theme": "t",
                       "occurred_at": "2026-01-01T00:00:00+00:00", "explanation": why}  # fmt: skip
            batch.append((payload, [(m, "member") for m in ms]))
        batches.append(batch)
    return batches


def multi_values(engine: Engine, batch: list[Any], now: datetime, settle: timedelta) -> None:
    """The former statement shape: the same rows, 60 a multi-VALUES INSERT."""
    rows = [
        {"id": uuid.uuid4().hex, "match_id": p["match_id"], "round_id": p["round_id"],
         "member_id": m, "channel": ch, "kind": p["type"], "role": role, "status": "pending",
         "attempts": 0, "payload": p, "message_key": repository.message_key(p["round_id"], m, ch),
         "next_attempt_at": now + settle, "event_published": True, "created_at": now,
         "updated_at": now}
        for p, who in batch for m, role in who for ch in ("email", "chat", "inapp")
    ]  # fmt: skip
    with engine.begin() as conn:
        for start in range(0, len(rows), 60):
            chunk = rows[start : start + 60]
            conn.execute(sqlite_insert(deliveries).values(chunk).on_conflict_do_nothing())


def record(folder: str, groups: int) -> tuple[float, float, int]:
    now, settle = datetime.now(UTC), timedelta(seconds=1)
    old, new = fresh(folder, "old", NOTIFIER), fresh(folder, "new", NOTIFIER)
    t0 = time.perf_counter()
    for batch in group_batches(groups, "old"):
        multi_values(old, batch, now, settle)
    before = time.perf_counter() - t0
    t0 = time.perf_counter()
    for batch in group_batches(groups, "new"):
        repository.accept_many(new, batch, now, settle)
    after = time.perf_counter() - t0
    with new.connect() as conn:
        rows = conn.execute(text("SELECT COUNT(*) FROM deliveries")).scalar_one()
    return before, after, int(rows)


def page_of_matches(folder: str, attendees: int, tries: int = 30) -> tuple[float, float]:
    engine = fresh(folder, "matcher", MATCHER)
    rng = random.Random(1)
    ids = [uuid.uuid4().hex for _ in range(attendees)]
    rows = [
        {"id": uuid.uuid4().hex, "round_id": "rot", "kind": "rotations", "members": [m],
         "data": {"seats": [{"seminar_round": r, "table": rng.randrange(attendees // 10),
                             "tablemates": rng.sample(ids, 9)} for r in range(3)]},
         "locked": 0}
        for m in ids
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(matches), rows)
    page = text("SELECT * FROM matches WHERE round_id = 'rot' ORDER BY id LIMIT 50")

    def median_ms() -> float:
        with engine.connect() as conn:
            took = []
            for _ in range(tries):
                t0 = time.perf_counter()
                conn.execute(page).all()
                took.append(time.perf_counter() - t0)
        return statistics.median(took) * 1000

    after = median_ms()
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_matches_round_order"))
    return median_ms(), after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=1000, help="group matches of 7 recorded")
    parser.add_argument("--attendees", type=int, default=6000, help="rotation matches stored")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        before, after, rows = record(folder, args.groups)
        print(f"notifier: {args.groups} group matches -> {rows} deliveries recorded: "
              f"60-row multi-VALUES {before:.2f} s, one cached INSERT for many rows "
              f"{after:.2f} s ({before / after:.1f}x)")  # fmt: skip
        old, new = page_of_matches(folder, args.attendees)
        print(f"matcher: a page of 50 among {args.attendees} rotation matches: index on "
              f"round_id {old:.1f} ms, (round_id, id) {new:.2f} ms (median of 30)")  # fmt: skip


if __name__ == "__main__":
    main()
