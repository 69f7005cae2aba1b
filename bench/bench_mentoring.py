"""Benchmark of the mentoring round: exact pruned+priced solve vs baselines, one run.

Random profiles (seeded): 20 skill codes with levels, 1-5 wanted skills, 12
themes, 5 sites, 80 % French-only / 10 % English-only / 10 % both, teams of 8
under one manager, 20 % newcomers. Mentees N, mentors N/2 of capacity 2.

Compared in the same run:

* full round ``match_mentoring`` (scoring + constraints + exact solve with
  pricing proof + reasons + report) at N = 10,000;
* the same full round stopped after the first pruned solve (what pruning
  loses, and the gap bound it reports instead of a proof);
* dense exact solver: ``scipy.optimize.linear_sum_assignment`` on the dense
  capacity-expanded matrix (mentees x mentor slots);
* greedy: best remaining edge first;
* ``networkx.max_weight_matching`` on the capacity-expanded graph, at growing
  sizes until the next one would exceed the budget; the exact solver is run on
  that same instance.

Usage: ``python bench/bench_mentoring.py [--quick] [--mentees N] [--nx-budget S]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import services.matcher.algorithms.mentoring.matching as mentoring_mod
import services.matcher.algorithms.mentoring.pricing as pricing_mod
from services.matcher.algorithms.mentoring import ConstraintFilters, match_mentoring, score_matrix
from services.matcher.algorithms.mentoring.scoring import score_blocks
from services.matcher.algorithms.model import Person

TOP_K = 30


def population(n_mentees: int, seed: int) -> list[Person]:
    rng = np.random.default_rng(seed)
    n_mentors = n_mentees // 2
    codes = [f"S{k:02d}" for k in range(20)]
    themes = [f"T{k}" for k in range(12)]
    sites = ["Paris", "Lyon", "Lille", "Nantes", "Marseille"]
    n = n_mentees + n_mentors
    people = []
    for k in range(n):
        is_mentor = k < n_mentors
        levels = rng.integers(0, 5 if is_mentor else 3, len(codes))
        r = rng.random()
        langs = frozenset({"fr"}) if r < 0.8 else frozenset({"en"} if r < 0.9 else {"fr", "en"})
        wanted = rng.choice(codes, int(rng.integers(1, 6)), replace=False).tolist()
        people.append(
            Person(
                id=f"p{k}",
                site=sites[int(rng.integers(len(sites)))],
                manager_id=f"boss{rng.integers(max(1, n // 8))}",
                languages=langs,
                skills={c: int(lv) for c, lv in zip(codes, levels, strict=True) if lv > 0},
                skills_wanted=frozenset() if is_mentor else frozenset(wanted),
                themes=frozenset(rng.choice(themes, int(rng.integers(1, 5)), replace=False)),
                seniority_years=float(rng.integers(0, 25)),
                newcomer=(not is_mentor) and bool(rng.random() < 0.2),
                mentor_capacity=2 if is_mentor else 0,
                mentee=not is_mentor,
            )
        )
    return people


def legal_scores(people: list[Person]) -> tuple[np.ndarray, np.ndarray]:
    """Dense scores with -inf on illegal or non-positive edges, and capacities."""
    mentors = [p for p in people if p.mentor_capacity >= 1]
    mentees = [p for p in people if p.mentee]
    w = score_matrix(mentors, mentees)
    ok = ConstraintFilters(mentors, mentees, people).feasible() & (w > 0)
    caps = np.array([p.mentor_capacity for p in mentors])
    return np.where(ok, w, -np.inf), caps


def total_of(w: np.ndarray, mate: np.ndarray) -> float:
    rows = np.flatnonzero(mate >= 0)
    return float(w[rows, mate[rows]].sum())


def dense_exact(w: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """linear_sum_assignment on mentees x slots; a missing edge weighs 0 = unmatched."""
    owner = np.repeat(np.arange(len(caps)), caps)
    big = np.where(np.isfinite(w), w, 0.0)[:, owner]
    rows, slots = linear_sum_assignment(big, maximize=True)
    mate = np.full(w.shape[0], -1)
    real = big[rows, slots] > 0
    mate[rows[real]] = owner[slots[real]]
    return mate


def greedy(w: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """Best remaining edge first (chunks filtered vectorised, then a Python scan)."""
    flat = np.flatnonzero(np.isfinite(w))
    order = flat[np.argsort(-w.reshape(-1)[flat], kind="stable")]
    m = w.shape[1]
    mate = np.full(w.shape[0], -1)
    left = caps.copy()
    for lo in range(0, len(order), 200_000):
        chunk = order[lo : lo + 200_000]
        i, j = chunk // m, chunk % m
        keep = (mate[i] < 0) & (left[j] > 0)
        for a, b in zip(i[keep].tolist(), j[keep].tolist(), strict=True):
            if mate[a] < 0 and left[b] > 0:
                mate[a] = b
                left[b] -= 1
        if left.sum() == 0 or (mate >= 0).all():
            break
    return mate


def networkx_expanded(w: np.ndarray, caps: np.ndarray) -> float:
    g = nx.Graph()
    rows, cols = np.nonzero(np.isfinite(w))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        for s in range(int(caps[j])):
            g.add_edge(("e", i), ("m", j, s), weight=float(w[i, j]))
    matching = nx.max_weight_matching(g)
    return float(sum(g[a][b]["weight"] for a, b in matching))


class Clock:
    """Wall time spent in some module functions (wrapped for one call, then restored)."""

    TARGETS = (
        (mentoring_mod, "_solve_round", "build+solve"),
        (mentoring_mod, "solve_grid", "solve_grid"),
        (pricing_mod, "_top_candidates", "first candidates"),
        (pricing_mod, "solve_integer", "min-cost flow solves"),
        (pricing_mod, "dual_certificate", "dual prices"),
        (pricing_mod, "_violations", "pricing checks"),
    )

    def __enter__(self) -> dict[str, float]:
        self.spent: dict[str, float] = {}
        self.saved = []
        for mod, name, label in self.TARGETS:
            f = getattr(mod, name)
            self.saved.append((mod, name, f))
            setattr(mod, name, self._wrap(f, label))
        return self.spent

    def _wrap(self, f, label):  # type: ignore[no-untyped-def]
        def inner(*args, **kw):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return f(*args, **kw)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - t

        return inner

    def __exit__(self, *exc: object) -> None:
        for mod, name, f in self.saved:
            setattr(mod, name, f)


def breakdown(people: list[Person], t_round: float, spent: dict[str, float]) -> None:
    """Where the round's time went, plus scoring and mask timed alone (same blocks)."""
    mentors = [p for p in people if p.mentor_capacity >= 1]
    mentees = [p for p in people if p.mentee]
    t = time.perf_counter()
    for _ in score_blocks(mentors, mentees):
        pass
    t_score = time.perf_counter() - t
    filters = ConstraintFilters(mentors, mentees, people)
    mask = np.empty((64, len(mentors)), dtype=bool)
    t = time.perf_counter()
    for lo in range(0, len(mentees), 64):
        hi = min(lo + 64, len(mentees))
        filters.feasible_rows(lo, hi, out=mask[: hi - lo])
    t_mask = time.perf_counter() - t
    build = spent["build+solve"] - spent["solve_grid"]
    other = spent["solve_grid"] - sum(
        spent.get(k, 0.0)
        for k in ("first candidates", "min-cost flow solves", "dual prices", "pricing checks")
    )
    print(f"  breakdown of the {t_round:.2f} s round:")
    print(
        f"    scoring + mask + integer grid, fused by blocks: {build:.2f} s "
        f"(timed alone on the same blocks: scoring {t_score:.2f} s, mask {t_mask:.2f} s)"
    )
    for k in ("first candidates", "min-cost flow solves", "dual prices", "pricing checks"):
        print(f"    {k}: {spent.get(k, 0.0):.2f} s")
    print(f"    other solver bookkeeping: {other:.2f} s")
    print(f"    pairs, explanations data, reasons, report: {t_round - spent['build+solve']:.2f} s")


def timed(f, *args, **kw):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = f(*args, **kw)
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, < 30 s")
    ap.add_argument("--mentees", type=int, default=10_000)
    ap.add_argument("--nx-budget", type=float, default=60.0, help="seconds for networkx")
    ap.add_argument("--dense-max", type=int, default=10_000, help="largest mentees for dense")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    n = 600 if a.quick else a.mentees
    budget = 2.0 if a.quick else a.nx_budget
    print(
        f"# bench_mentoring  python {platform.python_version()}  cpus: {os.cpu_count()}  "
        f"load average at start: {os.getloadavg()[0]:.2f} (other jobs share the machine)"
    )
    print(f"# mentees {n}, mentors {n // 2} x capacity 2, seed {a.seed}, top_k {TOP_K}\n")
    rows = []
    people = population(n, a.seed)
    with Clock() as spent:
        res, t_round = timed(match_mentoring, people, top_k=TOP_K)
    s = res.stats
    opt = res.report.total_score
    rows.append(
        ("full round (exact, pricing)", n, t_round, opt, res.report.matched, s.proved_optimal)
    )
    print(
        f"full round: {t_round:.2f} s; proved optimal: {s.proved_optimal}; pricing rounds "
        f"{s.pricing_rounds}; candidates {s.candidates} of {s.edges} edges "
        f"({s.added_edges} added by pricing); gap bound {s.gap_bound:.3g}"
    )
    breakdown(people, t_round, spent)
    res1, t1 = timed(match_mentoring, people, top_k=TOP_K, max_rounds=1)
    s1 = res1.stats
    rows.append(
        (
            f"full round, top-{TOP_K} pruned, 1 solve (no proof)",
            n,
            t1,
            res1.report.total_score,
            res1.report.matched,
            s1.proved_optimal,
        )
    )
    print(
        f"full round with one solve: {t1:.2f} s; dual gap bound {s1.gap_bound:.4f} "
        f"(= {100 * s1.gap_bound / res1.report.total_score:.3f} % of its total)"
    )
    w, caps = legal_scores(people)
    mate, t = timed(greedy, w, caps)
    rows.append(
        ("greedy (best edge first)", n, t, total_of(w, mate), int((mate >= 0).sum()), False)
    )
    nd = min(n, a.dense_max)
    wd, cd = (w, caps) if nd == n else legal_scores(population(nd, a.seed))
    mate, t = timed(dense_exact, wd, cd)
    ref = (
        opt if nd == n else match_mentoring(population(nd, a.seed), top_k=TOP_K).report.total_score
    )
    rows.append(
        (
            f"dense linear_sum_assignment{'' if nd == n else ' (smaller)'}",
            nd,
            t,
            total_of(wd, mate),
            int((mate >= 0).sum()),
            None,
        )
    )
    dense_ref = ref
    print_table(rows, {n: opt, nd: dense_ref})
    diff = rows[-1][3] - dense_ref
    print(f"\ndense exact total minus ours: {diff:.3g} (equal up to float summation order)")
    print()
    nx_compare(budget, a.seed)
    print(f"\n# load average at end: {os.getloadavg()[0]:.2f}")


def nx_compare(budget: float, seed: int) -> None:
    size, best = 20, None
    while True:
        w, caps = legal_scores(population(size, seed))
        total, t = timed(networkx_expanded, w, caps)
        print(f"  networkx expanded graph, {size} mentees: {t:.2f} s")
        if t <= budget:
            best = (size, t, total)
        nxt = int(size * 1.5)
        if t > budget or t * (nxt / size) ** 3 > budget:
            break
        size = nxt
    if best is None:
        print("networkx did not finish any size within the budget")
        return
    size, t_nx, total = best
    res, t_ours = timed(match_mentoring, population(size, seed), top_k=TOP_K)
    ours = res.report.total_score
    print(
        f"\nnetworkx.max_weight_matching, largest size within {budget:.0f} s: {size} mentees x "
        f"{size // 2} mentors (cap 2)"
    )
    print(
        f"  networkx {t_nx:.2f} s, total {total:.4f}; ours (full round) {t_ours:.3f} s, total "
        f"{ours:.4f} (networkx = {100 * total / ours:.4f} % of ours); time ratio "
        f"{t_nx / t_ours:.0f}x"
    )


def print_table(rows: list, optimum: dict[int, float]) -> None:
    print(
        f"{'method':50} {'mentees':>8} {'time s':>8} {'total':>12} {'% opt':>9} "
        f"{'matched':>8} {'proved':>7}"
    )
    t_ref = rows[0][2]
    for name, size, t, total, matched, proved in rows:
        pct = 100 * total / optimum[size]
        flag = {True: "yes", False: "no", None: "exact"}[proved]
        print(
            f"{name:50} {size:>8} {t:>8.2f} {total:>12.4f} {pct:>8.3f}% {matched:>8} {flag:>7}"
            f"   (time x{t / t_ref:.2f})"
        )


if __name__ == "__main__":
    main()
