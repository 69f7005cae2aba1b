"""Benchmark of practice-exchange groups: optimised vs random vs k-means-then-chop.

Usage::

    .venv/bin/python bench/bench_groups.py           # 538 and 10,000 members
    .venv/bin/python bench/bench_groups.py --quick   # 538 and 2,000 members (< 30 s)
    .venv/bin/python bench/bench_groups.py --seeds 0 1 2
    .venv/bin/python bench/bench_groups.py --population hr --sizes 10000   # the end-to-end CSV

Every method runs with one BLAS/OpenMP thread (``form_groups`` limits itself to one;
the baselines get the same limit so the comparison is fair); wall and CPU seconds are
both printed because the machine may be shared.

Population (explicit, seeded): members belong to latent communities of about 250
people sharing a function, three themes and four skills (with noise), so that a
random pair has a cosine near 0.45 and a community pair near 0.95; sites are drawn
independently of communities with unequal shares (35/25/18/12/10 %); seniority is
1 + Gamma(2, 5) years capped at 42 (a working life), except 15 % newcomers with 0-1
year; 20 % volunteer to facilitate; 3 % report to another member of the same site;
the history is one previous round of random groups of 8 (all its pairs forbidden).

``--population hr``: the members of ``bench_end_to_end.py`` (``bench_import.make_csv``
with everyone opted into groups and two catalogue themes each) as the matcher sees
them: no latent communities, start dates uniform 1995-2025 (newcomers: less than 12
months), 5 % facilitator volunteers (fewer than groups), a manager per ten members;
no history.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.matcher.algorithms.groups import (
    Group,
    assess_groups,
    form_groups,
    kmeans_then_chop,
    random_groups,
)
from services.matcher.algorithms.model import Pair, Person, pair

SITES = ("Paris", "Lyon", "Lille", "Nantes", "Marseille")
SHARES = (0.35, 0.25, 0.18, 0.12, 0.10)
FUNCTIONS = ("AD", "AE", "OM")
COMMON_THEMES = ("organisation", "outils")
THEMES = tuple(f"theme{i:02}" for i in range(16))
COMMON_SKILLS = ("agenda", "bureautique")
SKILLS = tuple(f"skill{i:02}" for i in range(24))


def population(n: int, seed: int) -> tuple[list[Person], list[Pair], list[int]]:
    """The benchmark population of the module docstring, its history, each one's community."""
    rng = np.random.default_rng(seed)
    n_comm = max(2, round(n / 250))
    comms = [
        (
            str(rng.choice(FUNCTIONS)),
            [*COMMON_THEMES, *(str(t) for t in rng.choice(THEMES, 2, replace=False))],
            {str(s): int(rng.integers(1, 5)) for s in rng.choice(SKILLS, 3, replace=False)}
            | {s: 3 for s in COMMON_SKILLS},
        )
        for _ in range(n_comm)
    ]
    people: list[Person] = []
    community: list[int] = []
    for i in range(n):
        community.append(int(rng.integers(n_comm)))
        func, themes, skills = comms[community[-1]]
        mine = {t for t in themes if rng.random() < 0.95}
        if rng.random() < 0.1:
            mine.add(str(rng.choice(THEMES)))
        lv = {
            s: max(1, min(4, v + int(rng.integers(-1, 2))))
            for s, v in skills.items()
            if rng.random() < 0.95
        }
        newcomer = bool(rng.random() < 0.15)
        people.append(
            Person(
                id=f"m{i:05}",
                site=str(rng.choice(SITES, p=SHARES)),
                function=func if rng.random() < 0.98 else str(rng.choice(FUNCTIONS)),
                themes=frozenset(mine),
                skills=lv,
                seniority_years=float(
                    rng.uniform(0, 1) if newcomer else min(42.0, 1 + rng.gamma(2, 5))
                ),
                newcomer=newcomer,
                groups=True,
                facilitator=bool(rng.random() < 0.2),
            )
        )
    people = _add_managers(people, rng)
    return people, _previous_round(people, rng), community


def hr_population(n: int, seed: int) -> tuple[list[Person], list[Pair], list[int]]:
    """``bench_end_to_end.py``'s members (see the module docstring); one community."""
    from datetime import date

    from bench.bench_import import FUNCTIONS as HR_FUNCTIONS
    from bench.bench_import import SITES as HR_SITES
    from bench.bench_import import SKILLS as HR_SKILLS
    from services.profiles.domain.starter_catalogue import STARTER_THEMES

    rng = random.Random(seed)
    themes = [code for code, *_ in STARTER_THEMES]
    today = date(2026, 11, 27)
    people = []
    for i in range(n):
        site, function = rng.choice(HR_SITES), rng.choice(HR_FUNCTIONS)
        start = date(rng.randint(1995, 2025), rng.randint(1, 12), 1)
        years = max(0.0, (today - start).days / 365.25)
        skills = {c: rng.randint(0, 4) for c in rng.sample(HR_SKILLS, rng.randint(3, 6))}
        wanted = frozenset(rng.sample(HR_SKILLS, rng.randint(0, 3)))
        boss = f"h{(i // 10) * 10:05}" if i % 10 else None
        people.append(
            Person(
                id=f"h{i:05}", site=site, function=function,
                department=f"Direction {rng.randint(1, 40)}", manager_id=boss,
                management_line=(boss,) if boss else (),
                languages=frozenset({"fr", "en"} if rng.random() < 0.5 else {"fr"}),
                skills=skills, skills_wanted=wanted,
                themes=frozenset(rng.sample(themes, 2)), seniority_years=round(years, 3),
                newcomer=years * 12 < 12, groups=True,
                facilitator=rng.random() < 0.05,
            )
        )  # fmt: skip
    return people, [], [0] * n


def _add_managers(people: list[Person], rng: np.random.Generator) -> list[Person]:
    by_site: dict[str, list[int]] = {}
    for i, p in enumerate(people):
        by_site.setdefault(p.site, []).append(i)
    out = list(people)
    for i, p in enumerate(people):
        if rng.random() < 0.03:
            boss = int(rng.choice(by_site[p.site]))
            if boss != i:
                out[i] = Person(**{**_fields(p), "manager_id": people[boss].id})
    return out


def _fields(p: Person) -> dict[str, object]:
    return {f: getattr(p, f) for f in Person.__slots__}


def _previous_round(people: list[Person], rng: np.random.Generator) -> list[Pair]:
    order = rng.permutation(len(people))
    hist = []
    for s in range(0, len(order) - 7, 8):
        ids = [people[i].id for i in order[s : s + 8]]
        hist.extend(pair(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :])
    return hist


def _timed(fn: Callable[[], list[Group]]) -> tuple[list[Group], float, float]:
    """Run ``fn`` with one BLAS/OpenMP thread (same for every method); wall and CPU seconds."""
    with threadpool_limits(limits=1):
        w0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        return out, time.perf_counter() - w0, time.process_time() - c0


def _community_range(people: list[Person], community: list[int]) -> float:
    """Range of the communities' mean seniority: no community-pure partition does better."""
    sen = np.array([p.seniority_years for p in people])
    lab = np.array(community)
    means = np.bincount(lab, sen) / np.bincount(lab)
    return float(means.max() - means.min())


def run(n: int, seed: int, kind: str = "communities") -> None:
    make = hr_population if kind == "hr" else population
    people, history, community = make(n, seed)
    methods: dict[str, Callable[[], list[Group]]] = {
        "optimised": lambda: form_groups(people, history=history, seed=seed).groups,
        "random": lambda: random_groups(people, seed=seed),
        "kmeans-then-chop": lambda: kmeans_then_chop(people, seed=seed),
    }
    print(
        f"\n## {kind} population, {n} members, {len({p.site for p in people})} sites, "
        f"seed {seed}, history "
        f"{len(history)} pairs, {max(community) + 1} communities whose mean seniority "
        f"spans {_community_range(people, community):.2f} y\n"
    )
    print(
        "| method | wall s | cpu s | cohesion | sites/group | bound | % bound | max site share "
        "| seniority range y | newcomer spread | facilitator cov. | history viol. "
        "| manager viol. | worst score |"
    )
    print("|" + "---|" * 14)
    for name, fn in methods.items():
        groups, secs, cpu = _timed(fn)
        q = assess_groups(people, groups, history)
        print(
            f"| {name} | {secs:.2f} | {cpu:.2f} | {q.cohesion_mean:.3f} | {q.sites_per_group:.3f} "
            f"| {q.sites_upper_bound:.3f} | {100 * q.sites_per_group / q.sites_upper_bound:.1f} "
            f"| {max(q.largest_site_shares):.3f} | {q.seniority_range:.3f} "
            f"| {q.newcomer_share_spread:.3f} | {q.facilitator_coverage:.3f} "
            f"| {len(q.repeated_pairs)} | {len(q.same_line_or_team_pairs)} "
            f"| {q.worst_group_score:.3f} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="538 and 2,000 members only")
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--population", choices=("communities", "hr"), default="communities")
    ap.add_argument("--sizes", type=int, nargs="+", help="member counts (default 538 10000)")
    args = ap.parse_args()
    sizes = args.sizes or ((538, 2000) if args.quick else (538, 10_000))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for seed in args.seeds:
        for n in sizes:
            run(n, seed, args.population)


if __name__ == "__main__":
    main()
