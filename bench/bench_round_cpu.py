"""Benchmark: CPU of the matcher's ``run_round`` on the end-to-end bench's 10,000 members.

The matcher database is built as ``bench_end_to_end.py`` builds it, without the stack:
HR's CSV (``bench_import.make_csv``, everyone opted into groups, two catalogue themes
each: ``bench_end_to_end.everyone_in_groups``) imported by the profiles service's own
``import_members`` into a migrated profiles SQLite file; the events its outbox holds are
then applied by the matcher's projection (``apply_member_events``) to a migrated matcher
SQLite file. That file is built once (``--db``, reused when it exists).

Each measurement runs in its own process on a fresh copy of that file, with the code of
a given tree first on ``sys.path`` (``--code``: e.g. ``main`` extracted by ``git
archive``): a round of the kind is created, claimed and computed by
``computation.run_round``; the process's CPU (``time.process_time``) around that call is
printed with the load average and the round's quality figures (its report). Code trees
are interleaved, ``--repeat`` times, so that the figures of one run compare.

    .venv/bin/python bench/bench_round_cpu.py --db /tmp/round-cpu.db \
        --code /tmp/main-tree --code . --kinds groups rotations --repeat 2
    .venv/bin/python bench/bench_round_cpu.py --db /tmp/round-cpu.db --profile groups
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
KINDS: dict[str, dict[str, Any]] = {
    "mentoring": {},
    "groups": {},
    "rotations": {"table_size": 10, "rounds": 3},
}


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def build(db: Path, members: int) -> None:
    """The matcher's SQLite file with the end-to-end bench's members in its projection."""
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from bench.bench_end_to_end import everyone_in_groups
    from bench.bench_import import make_csv
    from services.matcher.adapters.unit_of_work import UnitOfWork
    from services.matcher.main import MIGRATIONS as MATCHER
    from services.matcher.service_layer.projection import apply_member_events
    from services.profiles.adapters.orm import outbox
    from services.profiles.domain.starter_catalogue import STARTER_THEMES
    from services.profiles.main import MIGRATIONS as PROFILES
    from services.profiles.service_layer.imports import import_members
    from shared.db import make_engine
    from shared.events import member_event_adapter
    from shared.migrations import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        profiles = make_engine(f"sqlite:///{tmp}/profiles.db", synchronous="NORMAL")
        upgrade(profiles, PROFILES)
        themes = [code for code, *_ in STARTER_THEMES]
        content = everyone_in_groups(make_csv(members, seed=11), themes)
        outcome = import_members(profiles, content, "all_or_nothing")
        if outcome.created != members:
            raise RuntimeError(f"import: {outcome}")
        with profiles.connect() as conn:
            payloads = [r.payload for r in conn.execute(select(outbox).order_by(outbox.c.id))]
        profiles.dispose()
    engine = make_engine(f"sqlite:///{db}", synchronous="NORMAL")
    upgrade(engine, MATCHER)
    uow = UnitOfWork(engine)
    events = [member_event_adapter.validate_json(p) for p in payloads]
    for i in range(0, len(events), 500):
        apply_member_events(uow, events[i : i + 500])
    engine.dispose()
    print(f"built {db}: {members} members, {len(events)} events", flush=True)


def claimed_round(code: Path, db: Path, kind: str) -> tuple[Any, str]:
    """With ``code``'s matcher first on ``sys.path``: the unit of work on ``db`` and a new
    ``kind`` round, created and claimed (ready for ``computation.run_round``)."""
    sys.path.insert(0, str(code))
    from services.matcher.adapters.unit_of_work import UnitOfWork
    from services.matcher.domain.parameters import parse
    from services.matcher.main import MIGRATIONS
    from services.matcher.service_layer import computation
    from services.matcher.service_layer.rounds import RoundRequest, create_round
    from shared.db import make_engine
    from shared.events import RoundScope
    from shared.migrations import upgrade

    assert Path(computation.__file__).is_relative_to(code.resolve()), computation.__file__
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, MIGRATIONS)
    uow = UnitOfWork(engine)
    request = RoundRequest(kind, kind, kind, RoundScope(), parse(kind, KINDS[kind]))  # type: ignore[arg-type]
    rid = create_round(uow, request, "hr")[0].id
    assert computation.claim_next(uow) == rid
    return uow, rid


def measure(code: Path, db: Path, kind: str, profile: Path | None) -> dict[str, Any]:
    """Create, claim and compute one ``kind`` round with ``code``'s matcher (this process)."""
    uow, rid = claimed_round(code, db, kind)
    from services.matcher.service_layer import computation

    before = load()
    t0, w0 = time.process_time(), time.perf_counter()
    if profile is not None:
        import cProfile

        # CPU time, not wall time: on a shared machine wall time is mostly other work
        prof = cProfile.Profile(time.process_time)
        done = prof.runcall(computation.run_round, uow, rid)
        prof.dump_stats(str(profile))
    else:
        done = computation.run_round(uow, rid)
    cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    report = done.report if done is not None else {}
    return {"cpu": cpu, "wall": wall, "load": f"{before} -> {load()}", "report": report}


def in_own_process(script: str, code: Path, db: Path, kind: str) -> dict[str, Any]:
    """``script --measure code`` on a fresh copy of ``db``: its last line of JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "matcher.db"
        shutil.copy(db, copy)
        out = subprocess.run(
            [sys.executable, script, "--measure", str(code), "--db", str(copy), "--kinds", kind],
            check=True, capture_output=True, text=True, cwd=tmp,
        )  # fmt: skip
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _figures(report: Any, prefix: str = "") -> dict[str, Any]:
    """The report's numbers, flat: a list of numbers as its mean (lists of groups)."""
    if isinstance(report, dict):
        out: dict[str, Any] = {}
        for k, v in sorted(report.items()):
            out |= _figures(v, f"{prefix}{k}.")
        return out
    if isinstance(report, list) and report and all(isinstance(x, int | float) for x in report):
        return {f"{prefix}mean": round(sum(report) / len(report), 6), f"{prefix}n": len(report)}
    if isinstance(report, int | float | str | bool) or report is None:
        return {prefix.rstrip("."): round(report, 6) if isinstance(report, float) else report}
    return {f"{prefix}len": len(report)} if isinstance(report, list) else {}


def _digest(report: dict[str, Any]) -> str:
    """Same digest, same report to the last digit (every quality figure of the proposal,
    the random baseline's too); the headline figures are printed beside it."""
    return hashlib.sha256(json.dumps(report, sort_keys=True).encode()).hexdigest()[:12]


def compare(codes: list[Path], db: Path, kinds: list[str], repeat: int) -> None:
    for turn in range(1, repeat + 1):
        for kind in kinds:
            for code in codes:
                got = in_own_process(__file__, code, db, kind)
                print(
                    f"{turn}  {kind:<10} {code!s:<24} cpu {got['cpu']:6.2f} s  "
                    f"wall {got['wall']:6.2f} s  {got['load']}",
                    flush=True,
                )
                figures = _figures(got["report"]).items()
                flat = ", ".join(f"{k[9:]} {v}" for k, v in figures if k.startswith("headline."))
                print(f"   report {_digest(got['report'])}: {flat}", flush=True)


def arguments(description: str | None) -> argparse.ArgumentParser:
    """The options of the benches on this database: ``--db``, ``--members``, ``--code``,
    ``--kinds``, ``--repeat`` and the hidden ``--measure`` (one measurement's process)."""
    ap = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawTextHelpFormatter
    )
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "round-cpu.db")
    ap.add_argument("--members", type=int, default=10_000)
    ap.add_argument("--code", type=Path, action="append", help="code trees (default: this one)")
    ap.add_argument("--kinds", nargs="+", default=["groups", "rotations"], choices=list(KINDS))
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    return ap


def main() -> None:
    ap = arguments(__doc__)
    ap.add_argument("--profile", metavar="KIND", help="cProfile one KIND round (this tree)")
    args = ap.parse_args()
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.db, args.kinds[0], None), default=str))
        return
    if not args.db.exists():
        build(args.db, args.members)
    if args.profile:
        out = Path(tempfile.gettempdir()) / f"round-{args.profile}.prof"
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "matcher.db"
            shutil.copy(args.db, copy)
            got = measure(ROOT, copy, args.profile, out)
        print(f"profile of a {args.profile} round in {out} ({got['cpu']:.2f} s CPU, {load()})")
        return
    compare(args.code or [ROOT], args.db, args.kinds, args.repeat)


if __name__ == "__main__":
    main()
