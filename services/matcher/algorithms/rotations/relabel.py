"""Place people on the points of a repeat-free design: tabu search over relabellings.

Any one-to-one placement of people on the points of a design (see ``designs``)
keeps the plan free of repeats *inside* the plan; what the placement decides is the site mix
of every table and whether history or forbidden pairs end up together. A move swaps the points
of two people — in every round at once — so the design's property is never lost. The cost is
the one of ``search`` restricted to what a placement can change:

    W_SITE * site excess + sum of w(a, b) over history/forbidden pairs seated together

Deltas of all swaps of one person are computed at once with numpy from ``near[r, a, t]``, the
weight of ``a``'s history/forbidden partners sitting at table ``t`` in round ``r``.
"""

from __future__ import annotations

import time

import numpy as np

from services.matcher.algorithms.rotations.search import W_SITE, Instance, fixable_over


def initial_placement(inst: Instance) -> np.ndarray:
    """Place people sorted by site (biggest site first) on points in order, so each site fills
    whole groups of a transversal design (consecutive points) when it can.

    Returns ``point_of`` (person -> point).
    """
    per_site = np.bincount(inst.site)
    order = np.lexsort((np.arange(inst.n), inst.site, -per_site[inst.site]))
    point_of = np.empty(inst.n, dtype=np.int64)
    point_of[order] = np.arange(inst.n)
    return point_of


class Relabel:
    """Search state: ``ptab[r, p]`` is the table of point ``p`` in round ``r``."""

    def __init__(self, inst: Instance, ptab: np.ndarray, point_of: np.ndarray) -> None:
        self.inst, self.ptab = inst, ptab
        n = inst.n
        self.pair_w = np.where(inst.base[:n, :n] > 0, inst.weight[:n, :n], 0).astype(np.int64)
        self.load(point_of)

    def load(self, point_of: np.ndarray) -> None:
        inst, t = self.inst, len(self.inst.sizes)
        self.point_of = point_of.copy()
        self.tab = self.ptab[:, point_of]  # (R, n): table of each person
        n_sites = int(inst.site.max()) + 1
        self.counts = np.zeros((inst.rounds, t, n_sites), dtype=np.int64)
        self.near = np.zeros((inst.rounds, inst.n, t), dtype=np.int64)
        for r in range(inst.rounds):
            np.add.at(self.counts[r], (self.tab[r], inst.site), 1)
            onehot = np.eye(t, dtype=np.int64)[self.tab[r]]
            self.near[r] = self.pair_w @ onehot
        excess = np.maximum(self.counts - inst.caps[None, :, None], 0).sum()
        rr = np.arange(inst.rounds)[:, None]
        together = self.near[rr, np.arange(inst.n)[None, :], self.tab].sum() // 2
        self.cost = int(W_SITE * excess + together)

    def conflicted(self) -> np.ndarray:
        inst = self.inst
        rr = np.arange(inst.rounds)[:, None]
        over = fixable_over(self.counts, self.tab, inst)
        near = self.near[rr, np.arange(inst.n)[None, :], self.tab] > 0
        return np.flatnonzero((over | near).any(0))

    def deltas(self, a: int) -> np.ndarray:
        """Cost change of swapping the points of ``a`` and of every person. O(R * n)."""
        inst = self.inst
        rr = np.arange(inst.rounds)[:, None]
        ta = self.tab[:, a][:, None]  # (R, 1)
        tb = self.tab  # (R, n)
        sa, sb = inst.site[a], inst.site[None, :]
        c, caps = self.counts, inst.caps
        site_d = (
            -(c[rr, ta, sa] > caps[ta]).astype(np.int64)
            + (c[rr, ta, sb] >= caps[ta])
            - (c[rr, tb, sb] > caps[tb])
            + (c[rr, tb, sa] >= caps[tb])
        )
        site_d = np.where(sb == sa, 0, site_d)
        near, everyone, w_ab = self.near, np.arange(inst.n)[None, :], self.pair_w[a][None, :]
        pair_d = (
            near[rr, a, tb]
            - w_ab
            - near[rr, everyone, tb]
            + near[rr, everyone, ta]
            - w_ab
            - near[rr, a, ta]
        )
        delta = np.where(tb == ta, 0, W_SITE * site_d + pair_d).sum(0)
        return delta

    def swap(self, a: int, b: int) -> None:
        inst = self.inst
        for r in range(inst.rounds):
            ta, tb = self.tab[r, a], self.tab[r, b]
            if ta == tb:
                continue
            sa, sb = inst.site[a], inst.site[b]
            for table, s, d in ((ta, sa, -1), (ta, sb, 1), (tb, sb, -1), (tb, sa, 1)):
                self.counts[r, table, s] += d
            moved = self.pair_w[:, b] - self.pair_w[:, a]
            self.near[r, :, ta] += moved
            self.near[r, :, tb] -= moved
            self.tab[r, a], self.tab[r, b] = tb, ta
        self.point_of[a], self.point_of[b] = self.point_of[b], self.point_of[a]


def relabel_search(
    inst: Instance,
    ptab: np.ndarray,
    point_of: np.ndarray,
    rng: np.random.Generator,
    *,
    max_iterations: int,
    deadline: float,
) -> tuple[np.ndarray, int, int]:
    """Tabu search over placements; returns ``(point_of, cost, iterations)`` of the best one.

    Each iteration takes a random conflicted non-tabu person, plays their best swap (tabu
    partners excluded unless the swap beats the best cost) and makes both tabu for 5-15
    iterations. Stops at the site lower bound (nothing else is unavoidable), after
    ``max_iterations`` or past ``deadline``.
    Complexity: O(iterations * R * n) plus O(R * n^2 * t) to start.
    """
    state = Relabel(inst, ptab, point_of)
    best, best_cost = state.point_of.copy(), state.cost
    tabu = np.zeros(inst.n, dtype=np.int64)
    it = 0
    target = inst.site_lower_bound()
    while state.cost > target and it < max_iterations and time.monotonic() <= deadline:
        it += 1
        conflicted = state.conflicted()
        free = conflicted[tabu[conflicted] <= it]
        pool = free if len(free) else conflicted
        a = int(pool[rng.integers(len(pool))])
        delta = state.deltas(a).astype(np.float64)
        delta[a] = np.inf
        delta[(tabu > it) & (state.cost + delta >= best_cost)] = np.inf
        low = delta.min()
        if not np.isfinite(low):
            continue
        ties = np.flatnonzero(delta == low)
        b = int(ties[rng.integers(len(ties))])
        state.swap(a, b)
        state.cost += int(low)
        tabu[a] = it + 5 + rng.integers(11)
        tabu[b] = it + 5 + rng.integers(11)
        if state.cost < best_cost:
            best, best_cost = state.point_of.copy(), state.cost
    return best, best_cost, it
