"""Benchmark of the minimal-change repair against solving the round again from scratch.

Usage::

    .venv/bin/python bench/bench_repair.py            # mentoring 3,000, groups 2,000, rotations 250
    .venv/bin/python bench/bench_repair.py --quick    # a tenth of that

For each kind, one round is formed, then a few people leave (declined or left the
company). Two ways to go on, measured in the same run on the same machine:

* **repair**: ``repair_mentoring`` / ``repair_groups`` / ``repair_rotations`` (what
  ``POST /rounds/{id}/repair`` runs);
* **re-solve**: the round formed again from scratch without the people who left (the
  baseline: what a coordinator could do before issue 12).

Printed per kind: wall seconds of each, and how many people's matches changed (the
people who would get a new announcement). Populations are explicit and seeded.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.matcher.algorithms.groups import form_groups, repair_groups
from services.matcher.algorithms.mentoring import match_mentoring, repair_mentoring
from services.matcher.algorithms.model import Person, pair
from services.matcher.algorithms.rotations import plan_rotations, repair_rotations

SITES = ("Paris", "Lyon", "Lille", "Nantes", "Marseille")
SKILLS = tuple(f"S{i}" for i in range(12))
THEMES = tuple(f"T{i}" for i in range(8))


def population(n: int, seed: int) -> list[Person]:
    """A third mentors (capacity 1-3), the rest mentees; everyone in groups and seminars."""
    rng = random.Random(seed)
    people = []
    for i in range(n):
        mentor = i % 3 == 0
        people.append(
            Person(
                f"p{i:05}", rng.choice(SITES), function=rng.choice(("AD", "AE", "AC")),
                skills={s: rng.randint(2, 4) for s in rng.sample(SKILLS, 3)},
                skills_wanted=frozenset(rng.sample(SKILLS, 2)),
                themes=frozenset(rng.sample(THEMES, 2)), seniority_years=rng.uniform(0, 30),
                mentor_capacity=rng.randint(1, 3) if mentor else 0, mentee=not mentor,
                groups=True, seminars=True, facilitator=rng.random() < 0.2,
            )
        )  # fmt: skip
    return people


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def mentoring(n: int, leave: int, seed: int) -> None:
    people = population(n, seed)
    first = match_mentoring(people)
    pairs = [(s.mentor_id, s.mentee_id) for s in first.pairs]
    rng = random.Random(seed)
    gone = {m for p in rng.sample(pairs, leave) for m in p[:1]}  # mentors who leave
    met = {pair(*p) for p in pairs}
    fix, t_fix = timed(lambda: repair_mentoring(people, pairs, gone, history=met))
    rest = [p for p in people if p.id not in gone]
    again, t_again = timed(lambda: match_mentoring(rest))
    before = {e: m for m, e in pairs}
    after = {s.mentee_id: s.mentor_id for s in again.pairs}
    changed = {e for e in set(before) | set(after) if before.get(e) != after.get(e)}
    changed |= {before[e] for e in changed if e in before} | {
        after[e] for e in changed if e in after
    }
    report("mentoring", n, len(gone), t_fix, len(fix.changed), t_again, len(changed - gone))


def groups(n: int, leave: int, seed: int) -> None:
    people = population(n, seed)
    placed = people[: n - n // 20]  # 5 % on the waiting list
    first = form_groups(placed, target_size=8, seed=seed).groups
    rng = random.Random(seed)
    gone = set(rng.sample([m for g in first for m in g.members], leave))
    met = {pair(a, b) for g in first for a in g.members for b in g.members if a < b}
    waiting = [p.id for p in people[len(placed) :]]
    fix, t_fix = timed(lambda: repair_groups(people, first, gone, waiting=waiting, history=met))
    rest = [p for p in people if p.id not in gone]
    again, t_again = timed(lambda: form_groups(rest, target_size=8, seed=seed))
    old = {m: g.members for g in first for m in g.members}
    new = {m: g.members for g in again.groups for m in g.members}
    changed = {m for m in set(old) | set(new) if old.get(m) != new.get(m)} - gone
    report("groups", n, len(gone), t_fix, len(fix.changed), t_again, len(changed))


def rotations(n: int, leave: int, seed: int) -> None:
    people = population(n, seed)
    plan = plan_rotations(people, table_size=10, rounds=4, seed=seed).rounds
    rng = random.Random(seed)
    gone = set(rng.sample([p.id for p in people], leave))
    fix, t_fix = timed(lambda: repair_rotations(plan, 1, gone, people, table_size=10))
    rest = [p for p in people if p.id not in gone]
    again, t_again = timed(lambda: plan_rotations(rest, table_size=10, rounds=3, seed=seed))
    old, new = seats(plan[1:]), seats(again.rounds)
    changed = {m for m in set(old) | set(new) if old.get(m) != new.get(m)} - gone
    extra = f" ({fix.method})"
    report("rotations", n, len(gone), t_fix, len(fix.changed), t_again, len(changed), extra)


def seats(rounds: list) -> dict[str, list]:
    """Each person's (rotation, table, tablemates) in ``rounds``."""
    found: dict[str, list] = {}
    for r, tables in enumerate(rounds):
        for t, table in enumerate(tables):
            for m in table:
                found.setdefault(m, []).append((r, t, frozenset(table) - {m}))
    return found


def report(kind: str, n: int, left: int, t_fix: float, fixed: int, t_again: float,
           again: int, extra: str = "") -> None:  # fmt: skip
    print(f"{kind:<10} n={n:>5}  left={left}  repair: {t_fix:6.2f} s, {fixed:>5} people "
          f"changed{extra}  |  re-solve: {t_again:6.2f} s, {again:>5} people changed")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    mentoring(3000 // scale, 3, args.seed)
    groups(2000 // scale, 3, args.seed)
    rotations(250 // (1 if scale == 1 else 2), 3, args.seed)


if __name__ == "__main__":
    main()
