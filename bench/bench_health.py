"""Benchmark of the network's health report at 10,000 members and a year of facts.

A simulated programme (``deploy/local/programme.py``: a mentoring round a month, groups
every three months, answers, check-ins, sessions, feedback, closings) over N members
and 12 months gives the events; then, in the same run:

* baseline: one pass of plain Python over the facts counting them by (month, kind), the
  least any monthly report must do;
* the pure report ``analyse_health`` (monthly figures per site and function, fairness,
  the networkx analysis of who met whom), and its two halves;
* ``recompute``: events -> facts -> report (what the end-to-end test compares with);
* the projection: ``record_events`` into a fresh SQLite database in batches of 500
  (as the JetStream consumer does), then ``health_report`` from it (SQL read + report),
  then the same report again with nothing new (issue 11: kept, only the projection's
  fingerprint is read).

Usage: ``python bench/bench_health.py [--members N] [--months M] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy.local.programme import SimMember, simulate
from services.matcher.adapters.health import member_of
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.algorithms.health import analyse_health, analyse_network
from services.matcher.algorithms.health.activity import monthly_figures
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer.health import fact_of, recompute, record_events
from services.matcher.service_layer.health_views import health_report
from services.matcher.service_layer.projection import apply_member_events
from shared.db import make_engine
from shared.events import MatchingProfile, MemberRegistered
from shared.migrations import upgrade

SITES = ["Paris La Défense", "Lyon Part-Dieu", "Lille", "Nantes", "Marseille", "Toulouse"]
FUNCTIONS = ["assistante de direction", "assistante d'équipe", "office manager", "rh"]


def timed(label: str, fn, rows: list) -> object:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn()
    rows.append((label, time.perf_counter() - t0))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--quick", action="store_true", help="1,000 members, 6 months")
    args = parser.parse_args()
    n, months = (1_000, 6) if args.quick else (args.members, args.months)
    rng = random.Random(1)
    end = datetime(2026, 11, 27, 18, tzinfo=UTC)
    people = [
        SimMember(f"m{i}", rng.choice(SITES), i % 3 == 0,
                  (end - timedelta(days=rng.randrange(0, 3650))).date())
        for i in range(n)
    ]  # fmt: skip
    members = [
        MemberRegistered(producer="bench", member_id=p.id, version=1,
                         profile=MatchingProfile(site=p.site, function=rng.choice(FUNCTIONS),
                                                 start_date=p.arrival))
        for p in people
    ]  # fmt: skip
    rows: list[tuple[str, float]] = []
    events = timed("simulate the programme (events)", lambda: simulate(people, end, months), rows)
    facts = [f for e in events if (f := fact_of(e)) is not None]
    first, last = (end - timedelta(days=30 * months)).date(), end.date()
    plain = [member_of(m.member_id, m.profile.model_dump(mode="json")) for m in members]
    timed("baseline: one pass counting facts by (month, kind)",
          lambda: Counter((f.on.strftime("%Y-%m"), f.kind) for f in facts), rows)  # fmt: skip
    timed("  monthly figures alone", lambda: monthly_figures(facts, plain, first, last), rows)
    net = timed("  network alone (networkx)", lambda: analyse_network(facts, plain, last), rows)
    report = timed("analyse_health (pure report)",
                   lambda: analyse_health(facts, plain, first, last), rows)  # fmt: skip
    timed("recompute from the events", lambda: recompute(members + events, first, last), rows)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/matcher.db")
        upgrade(engine, MIGRATIONS)
        uow = UnitOfWork(engine)
        apply_member_events(uow, members)

        def project() -> None:
            for k in range(0, len(events), 500):
                record_events(uow, events[k : k + 500])

        timed("projection: record_events, batches of 500 (SQLite)", project, rows)
        stored = timed("health_report from the projection (SQL + report)",
                       lambda: health_report(uow, first, last), rows)  # fmt: skip
        kept = timed("health_report again, nothing new (kept: fingerprint only)",
                     lambda: health_report(uow, first, last), rows)  # fmt: skip
        assert kept is stored, "the report was computed again with no new fact"
        engine.dispose()
    assert stored == report, "the projection's report differs from the pure one"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    kinds = Counter(f.kind for f in facts)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {load:.1f}")  # fmt: skip
    print(f"members: {n}, months: {months}, events: {len(events)}, facts: {len(facts)} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")  # fmt: skip
    print(
        f"network: {net.members} members, {net.edges} links, {net.isolated} isolated, "  # type: ignore[attr-defined]
        f"largest part {net.largest_component_share:.1%}"
    )  # type: ignore[attr-defined]
    baseline = dict(rows)["baseline: one pass counting facts by (month, kind)"]
    print(f"{'step':<56}{'seconds':>10}{'x baseline':>12}")
    for label, seconds in rows:
        ratio = "" if label.startswith("simulate") else f"{seconds / baseline:>12.1f}"
        print(f"{label:<56}{seconds:>10.3f}{ratio}")
    projection = dict(rows)["projection: record_events, batches of 500 (SQLite)"]
    print(f"events/s recorded by the projection: {len(events) / projection:.0f}")


if __name__ == "__main__":
    main()
