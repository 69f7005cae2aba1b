"""What durable commits cost: SQLite ``synchronous=FULL`` (ours) against ``NORMAL``.

Issue 13 made every SQLite commit synced to disk before it returns (a write answered
2xx survives a power loss). This measures, in the same run and in the same folder,
small write transactions (one row each, as a profile edit with its outbox row is)
through :func:`shared.db.make_engine` with FULL, and with NORMAL (the baseline, the
setting before; ``ENTRAIDE_SQLITE_SYNCHRONOUS=NORMAL`` chooses it), alternating rounds
so machine load hits both alike.

Usage: python bench/bench_durable_commits.py [--commits 2000] [--rounds 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.db import make_engine


def engine_with(path: Path, synchronous: str) -> Engine:
    engine = make_engine(f"sqlite:///{path}", synchronous)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)"))
    return engine


def commits_per_second(engine: Engine, n: int) -> float:
    t0 = time.perf_counter()
    for i in range(n):
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": "x" * 200 + str(i)})
    return n / (time.perf_counter() - t0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", default="", help="folder on the disk to measure (default: tmp)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir or None) as tmp:
        full = engine_with(Path(tmp) / "full.db", "FULL")
        normal = engine_with(Path(tmp) / "normal.db", "NORMAL")
        figures: dict[str, list[float]] = {"FULL": [], "NORMAL": []}
        for _ in range(args.rounds):
            figures["NORMAL"].append(commits_per_second(normal, args.commits))
            figures["FULL"].append(commits_per_second(full, args.commits))
        for engine in (full, normal):
            engine.dispose()
    base = statistics.median(figures["NORMAL"])
    for mode, values in figures.items():
        med = statistics.median(values)
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"synchronous={mode:<6} {med:8.0f} commits/s (median of {args.rounds}; "
              f"{med / base:.2f}x NORMAL; rounds: {rounds})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
