"""Benchmark of the seminar rotations against a random seating and a naive greedy, same run.

Usage::

    .venv/bin/python bench/bench_rotations.py            # full table (about 3 minutes)
    .venv/bin/python bench/bench_rotations.py --quick    # goal instances only (< 30 s)

For every instance it prints, per method, the wall time, repeated encounters, forbidden pairs
seated together, the largest site share at any table and the number of tables above the cap.
Methods: ``plan`` (plan_rotations: designs + placement + tabu search), ``search`` (the same
without designs, i.e. the tabu search alone), ``greedy`` (naive round-by-round greedy) and
``random`` (uniformly random seating). Goals checked in the same run are printed at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.matcher.algorithms.model import Pair, Person, pair
from services.matcher.algorithms.rotations import (
    RotationFigures,
    Rounds,
    greedy_rotations,
    plan_figures,
    plan_rotations,
    random_seating,
    replan_rotations,
)


@dataclass
class Case:
    name: str
    people: list[Person]
    table_size: int
    rounds: int
    search_too: bool = True
    history: frozenset[Pair] = frozenset()
    forbidden: frozenset[Pair] = frozenset()


def population(sites: dict[str, int]) -> list[Person]:
    return [Person(f"{s}-{i:03d}", site=s) for s, k in sites.items() for i in range(k)]


def even(n: int, n_sites: int) -> list[Person]:
    return [Person(f"m{i:03d}", site=f"site{i % n_sites}") for i in range(n)]


def cases(quick: bool) -> list[Case]:
    seminar = {"Paris": 50, "Lyon": 50, "Lille": 50, "Nantes": 50, "Toulouse": 50}
    uneven = {"Paris": 100, "Lyon": 60, "Lille": 45, "Nantes": 30, "Toulouse": 15}
    goal = [
        Case("250 at 25x10, 8 rounds, 5 equal sites", population(seminar), 10, 8, not quick),
        Case("250 at 25x10, 8 rounds, sites 100/60/45/30/15", population(uneven), 10, 8, False),
        Case("32 at 8x4, 9 rounds (golfers 8-4-9), 4 sites", even(32, 4), 4, 9, not quick),
    ]
    people = population(seminar)
    ids = [p.id for p in people]
    history = frozenset(
        pair(ids[i], ids[(i * 7 + 3) % 250]) for i in range(0, 250, 1) if i != (i * 7 + 3) % 250
    )
    forbidden = frozenset(
        pair(ids[i], ids[(i * 11 + 5) % 250]) for i in range(0, 250, 2) if i != (i * 11 + 5) % 250
    )
    goal.append(
        Case(
            f"250 at 25x10, 8 rounds, {len(history)} history + {len(forbidden)} forbidden",
            people,
            10,
            8,
            False,
            history - forbidden,
            forbidden,
        )
    )
    if quick:
        return goal
    classic = [(5, 3, 7), (6, 3, 8), (8, 3, 10), (6, 4, 6), (10, 4, 10), (10, 10, 3)]
    return (
        goal
        + [Case(f"golfers {g}-{k}-{w} (one site)", even(g * k, 1), k, w) for g, k, w in classic]
        + [
            Case("240 at 24x10, 8 rounds, 5 sites (no design)", even(240, 5), 10, 8, False),
            Case("33 at 4+3 seats, 6 rounds, 3 sites (odd size)", even(33, 3), 4, 6, False),
        ]
    )


def measure(run: Callable[[], Rounds], case: Case) -> tuple[float, RotationFigures]:
    start = time.perf_counter()
    rounds = run()
    elapsed = time.perf_counter() - start
    sites = {p.id: p.site for p in case.people}
    figures, _ = plan_figures(rounds, sites, history=case.history, forbidden=case.forbidden)
    return elapsed, figures


def replan_case() -> None:
    """250 people planned for 8 rounds; after round 3, 20 leave and 15 arrive."""
    people = population({"Paris": 50, "Lyon": 50, "Lille": 50, "Nantes": 50, "Toulouse": 50})
    plan = plan_rotations(people, table_size=10, rounds=8)
    present = people[20:] + [Person(f"new-{i}", site="Lyon") for i in range(15)]
    start = time.perf_counter()
    again = replan_rotations(plan, 3, present, time_limit_s=60)
    elapsed = time.perf_counter() - start
    f = again.report.figures
    base = again.report.random_baseline
    print(
        f"{'replan 250 -> 245 after round 3 (5 rounds)':50} {'plan':7} {elapsed:7.2f} "
        f"{f.repeated_encounters:7d} {f.forbidden_pairs_seated_together:6d} "
        f"{f.max_site_share:8.2f} {f.tables_over_site_share:8d}"
    )
    print(
        f"{'replan 250 -> 245 after round 3 (5 rounds)':50} {'random':7} {'':7} "
        f"{base.repeated_encounters:7d} {base.forbidden_pairs_seated_together:6d} "
        f"{base.max_site_share:8.2f} {base.tables_over_site_share:8d}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="goal instances only (< 30 s)")
    args = parser.parse_args()
    print(
        f"{'instance':50} {'method':7} {'time s':>7} {'repeats':>7} {'forbid':>6} "
        f"{'max site':>8} {'over cap':>8}"
    )
    goals: list[str] = []
    for case in cases(args.quick):
        kw = {
            "table_size": case.table_size,
            "rounds": case.rounds,
            "history": case.history,
            "forbidden": case.forbidden,
        }
        methods: dict[str, Callable[[], Rounds]] = {
            "plan": lambda kw=kw, c=case: plan_rotations(c.people, **kw, time_limit_s=60).rounds,
            "search": lambda kw=kw, c=case: (
                plan_rotations(c.people, **kw, time_limit_s=60, use_designs=False).rounds
            ),
            "greedy": lambda kw=kw, c=case: greedy_rotations(c.people, **kw),
            "random": lambda c=case: random_seating(
                [p.id for p in c.people], c.table_size, c.rounds, seed=0
            ),
        }
        if not case.search_too:
            del methods["search"]
        for method, run in methods.items():
            elapsed, f = measure(run, case)
            print(
                f"{case.name:50} {method:7} {elapsed:7.2f} {f.repeated_encounters:7d} "
                f"{f.forbidden_pairs_seated_together:6d} {f.max_site_share:8.2f} "
                f"{f.tables_over_site_share:8d}",
                flush=True,
            )
            if method == "plan" and case.name.startswith(("250", "32 ")):
                limit = 10.0 if case.name.startswith("250") else 30.0
                ok = (
                    f.repeated_encounters == 0
                    and elapsed <= limit
                    and f.tables_over_site_share == 0
                )
                goals.append(
                    f"{'PASS' if ok else 'FAIL'} {case.name}: {elapsed:.2f} s "
                    f"(goal <= {limit:.0f} s), {f.repeated_encounters} repeats, "
                    f"max site share {f.max_site_share:.2f}"
                )
    replan_case()
    print()
    print("\n".join(goals))
    return 0 if all(g.startswith("PASS") for g in goals) else 1


if __name__ == "__main__":
    raise SystemExit(main())
