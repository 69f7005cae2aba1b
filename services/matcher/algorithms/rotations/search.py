"""Tabu search over seating plans: swap two people of one round, with incremental costs.

The state is ``tab[r, a]`` (table of person ``a`` in round ``r``, people numbered ``0..n-1``).
The cost to minimise is

    sum over pairs {a, b} of w(a, b) * max(0, meets(a, b) - 1)  +  W_SITE * site excess

where ``meets`` counts the rounds of the plan in which ``a`` and ``b`` share a table *plus
one* when the pair is in the history or forbidden (so meeting them at all is already a
repeat), ``w`` is :data:`W_REPEAT`, :data:`W_SAME_LINE` for people of one management line or
team, or :data:`W_FORBIDDEN` for forbidden pairs, and the site
excess of a table is the number of seats a site holds above its cap
(:func:`~.report.site_cap`). A move swaps two people sitting at different tables of
one round; its cost change is computed for every partner at once with numpy from the
matrices ``J = w * [meets >= 1]`` (cost of joining) and ``L = w * [meets >= 2]`` (gain of
leaving). The neighbourhood (every swap of a conflicted person), the tabu rule on recently
moved people and the restart-from-best perturbation follow Dotú & Van Hentenryck [1]_.

References
----------
.. [1] I. Dotú, P. Van Hentenryck, "Scheduling social golfers locally", CPAIOR 2005.
.. [2] M. Triska, N. Musliu, "An effective greedy heuristic for the social golfer problem",
   Annals of Operations Research 194 (2012).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

#: Weight of one repeated encounter: repeats come before site mixing ("zero repeats whenever
#: such a plan exists"), so one repeat outweighs one seat above a site cap.
W_REPEAT = 2
#: Weight of one forbidden pair seated together.
W_FORBIDDEN = 200
#: Weight of two people of one management line or team seated together: far above repeats
#: and site mixing, below the coordinators' own forbidden pairs.
W_SAME_LINE = 100
#: Tabu tenure range (iterations a moved person stays put in that round).
TENURE = (5, 15)
#: Weight of one seat above a table's site cap.
W_SITE = 1


@dataclass(frozen=True)
class Instance:
    """Integer encoding of a rotation problem (people are ``0..n-1``, sites ``0..S-1``).

    ``base[a, b]`` is 1 for history, same-line-or-team or forbidden pairs; ``weight[a, b]`` is
    the pair weight.
    Both carry an extra all-zero row and column ``n`` used as padding in table arrays.
    """

    sizes: np.ndarray  # (t,) seats of each table
    caps: np.ndarray  # (t,) most seats one site may take at each table
    site: np.ndarray  # (n,) site index of each person
    base: np.ndarray  # (n+1, n+1)
    weight: np.ndarray  # (n+1, n+1)
    rounds: int

    @property
    def n(self) -> int:
        return len(self.site)

    def site_lower_bound(self) -> int:
        """Weighted site seats that cannot fit under the table caps, whatever the plan."""
        if self.n == 0:
            return 0
        per_site = np.bincount(self.site)
        return W_SITE * int(np.maximum(per_site - self.caps.sum(), 0).sum()) * self.rounds

    def lower_bound(self) -> int:
        """A cost no plan can beat: :meth:`site_lower_bound` plus the meetings a person must
        have beyond the colleagues still new to them (counting bound)."""
        if self.n == 0:
            return 0
        must_meet = self.rounds * (int(self.sizes.min()) - 1)
        new = (self.n - 1) - (self.base[: self.n, : self.n] > 0).sum(1)
        pair_lb = W_REPEAT * -(-int(np.maximum(must_meet - new, 0).sum()) // 2)
        return self.site_lower_bound() + pair_lb


def fixable_over(counts: np.ndarray, tab: np.ndarray, inst: Instance) -> np.ndarray:
    """(R, n): the person's site is above the cap at their table *and* below it at another
    table of that round. Unfixable excess (a site too big for the caps) is left out, or it
    would mark everyone as conflicted and drown the repeats the search can fix."""
    r_idx = np.arange(inst.rounds)[:, None]
    over = counts[r_idx, tab, inst.site[None, :]] > inst.caps[tab]
    room: np.ndarray = np.any(counts < inst.caps[None, :, None], axis=1)  # (R, S)
    return over & room[r_idx, inst.site[None, :]]


def plan_cost(inst: Instance, tab: np.ndarray) -> int:
    """The cost of the plan ``tab`` (as :class:`TabuSearch` counts it), without its matrices.

    Only pairs seated together at least once can cost anything (``meets - 1`` is at most
    zero for the others), so the pairs of each table are enumerated instead of building
    the ``(n+1) x (n+1)`` meeting counts: O(R * t * k^2) instead of O(n^2), which at
    10,000 people is a few hundred thousand pairs instead of 10^8 cells.

    >>> n = 4
    >>> inst = Instance(np.array([2, 2]), np.array([1, 1]), np.array([0, 1, 0, 1]),
    ...                 np.zeros((n + 1, n + 1), dtype=np.int64),
    ...                 np.full((n + 1, n + 1), W_REPEAT, dtype=np.int64), 2)
    >>> plan_cost(inst, np.array([[0, 0, 1, 1], [0, 0, 1, 1]]))  # both pairs meet twice
    4
    """
    n, t = inst.n, len(inst.sizes)
    if n == 0 or inst.rounds == 0:
        return 0
    firsts, seconds = [], []
    for row in tab:
        by_table = np.argsort(row, kind="stable")
        bounds = np.searchsorted(row[by_table], np.arange(t + 1))
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            i, j = _upper(hi - lo)
            firsts.append(by_table[lo + i])
            seconds.append(by_table[lo + j])
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    key, together = np.unique(np.minimum(a, b) * n + np.maximum(a, b), return_counts=True)
    a, b = key // n, key % n
    meets = inst.base[a, b] + together
    pair_cost = int((inst.weight[a, b] * np.maximum(meets - 1, 0)).sum())
    counts = np.zeros((inst.rounds, t, int(inst.site.max()) + 1), dtype=np.int64)
    np.add.at(counts, (np.arange(inst.rounds)[:, None], tab, inst.site[None, :]), 1)
    return pair_cost + W_SITE * int(np.maximum(counts - inst.caps[None, :, None], 0).sum())


@functools.cache
def _upper(k: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs ``i < j`` of ``range(k)`` (tables have a few sizes: built once each)."""
    return np.triu_indices(k, 1)


@dataclass
class SearchResult:
    tab: np.ndarray
    cost: int
    iterations: int
    stopped_by: str


class TabuSearch:
    """Mutable search state; see the module docstring for the model."""

    def __init__(self, inst: Instance, tab: np.ndarray, rng: np.random.Generator) -> None:
        self.inst, self.rng = inst, rng
        self.load(tab)

    def load(self, tab: np.ndarray) -> None:
        """Rebuild every incremental structure from ``tab``. O(R * t * k^2 + n^2)."""
        inst, n = self.inst, self.inst.n
        self.tab = tab.copy()
        t, kmax = len(inst.sizes), int(inst.sizes.max())
        self.members = np.full((inst.rounds, t, kmax), n, dtype=np.int64)
        meets = inst.base.astype(np.int64)  # astype copies
        n_sites = int(inst.site.max()) + 1
        self.counts = np.zeros((inst.rounds, t, n_sites), dtype=np.int64)
        for r in range(inst.rounds):
            for table in range(t):
                who = np.flatnonzero(tab[r] == table)
                self.members[r, table, : len(who)] = who
                meets[np.ix_(who, who)] += 1
                np.add.at(self.counts[r, table], inst.site[who], 1)
        np.fill_diagonal(meets, 0)
        self.meets = meets
        self.join = inst.weight * (meets >= 1)
        self.leave = inst.weight * (meets >= 2)
        excess = np.maximum(self.counts - inst.caps[None, :, None], 0).sum()
        pair_cost = (inst.weight * np.maximum(meets - 1, 0)).sum() // 2
        self.cost = int(pair_cost + W_SITE * excess)

    def own_leave(self) -> np.ndarray:
        """(R, n): weight of the people each person sits with and had already met."""
        mates = np.take_along_axis(self.members, self.tab[:, :, None], axis=1)  # (R, n, k)
        return self.leave[np.arange(self.inst.n)[None, :, None], mates].sum(2)

    def conflicted(self, own: np.ndarray) -> np.ndarray:
        """(round, person) pairs that sit with someone already met or above a site cap."""
        over = fixable_over(self.counts, self.tab, self.inst)
        return np.argwhere((own > 0) | over)

    def deltas(self, rs: np.ndarray, movers: np.ndarray, own: np.ndarray) -> np.ndarray:
        """(C, n) cost change of swapping ``movers[c]`` with each person in round ``rs[c]``
        (inf for people at the mover's own table). ``own`` is :meth:`own_leave`.
        O(C * n * k), all in numpy."""
        inst, n, t = self.inst, self.inst.n, len(self.inst.sizes)
        c_idx = np.arange(len(rs))[:, None]
        tabs = self.tab[rs]  # (C, n)
        home = tabs[c_idx[:, 0], movers][:, None]  # (C, 1)
        mates = self.members[rs, home[:, 0]]  # (C, k)
        mates = np.where(mates == movers[:, None], n, mates)
        leave_a = self.leave[movers[:, None], mates].sum(1)[:, None]
        join_b = self.join[mates, :n].sum(1)  # (C, n): join is symmetric
        join_row = self.join[movers, :n]
        flat = (c_idx * t + tabs).ravel()
        by_table = np.bincount(flat, weights=join_row.ravel(), minlength=len(rs) * t)
        join_a = np.take_along_axis(by_table.reshape(len(rs), t), tabs, 1) - join_row
        delta = join_a + join_b - own[rs] - leave_a
        sa, sb = inst.site[movers][:, None], inst.site[None, :]
        cr, caps = self.counts[rs], inst.caps
        site_d = (
            -(cr[c_idx, home, sa] > caps[home]).astype(np.int64)
            + (cr[c_idx, home, sb] >= caps[home])
            - (cr[c_idx, tabs, sb] > caps[tabs])
            + (cr[c_idx, tabs, sa] >= caps[tabs])
        )
        delta = delta + W_SITE * np.where(sb == sa, 0, site_d)
        return np.where(tabs == home, np.inf, delta)

    def swap(self, r: int, a: int, b: int) -> None:
        """Swap ``a`` and ``b`` (different tables) in round ``r``. O(k)."""
        inst, n = self.inst, self.inst.n
        ta, tb = self.tab[r, a], self.tab[r, b]
        ma, mb = self.members[r, ta], self.members[r, tb]
        a_mates, b_mates = ma[(ma != a) & (ma != n)], mb[(mb != b) & (mb != n)]
        for person, old, new in ((a, a_mates, b_mates), (b, b_mates, a_mates)):
            self._meet(person, old, -1)
            self._meet(person, new, +1)
        ma[ma == a] = b
        mb[mb == b] = a
        self.tab[r, a], self.tab[r, b] = tb, ta
        sa, sb = inst.site[a], inst.site[b]
        for table, s, d in ((ta, sa, -1), (ta, sb, 1), (tb, sb, -1), (tb, sa, 1)):
            old, cap = self.counts[r, table, s], inst.caps[table]
            self.counts[r, table, s] = old + d
            self.cost += W_SITE * int(max(0, old + d - cap) - max(0, old - cap))

    def _meet(self, a: int, others: np.ndarray, d: int) -> None:
        w = self.inst.weight[a, others]
        before = self.meets[a, others]
        after = before + d
        self.cost += int((w * (np.maximum(after - 1, 0) - np.maximum(before - 1, 0))).sum())
        self.meets[a, others] = self.meets[others, a] = after
        self.join[a, others] = self.join[others, a] = w * (after >= 1)
        self.leave[a, others] = self.leave[others, a] = w * (after >= 2)

    def site_cost(self) -> int:
        caps = self.inst.caps[None, :, None]
        return int(np.maximum(self.counts - caps, 0).sum())


def tabu_search(
    inst: Instance,
    tab: np.ndarray,
    rng: np.random.Generator,
    *,
    max_iterations: int,
    deadline: float,
    sample: int = 64,
    stall: int = 400,
) -> SearchResult:
    """Minimise the plan cost from ``tab`` within ``max_iterations`` moves.

    Each iteration evaluates all swaps of up to ``sample`` random conflicted non-tabu
    (round, person) pairs and plays the best non-tabu one (a tabu move is allowed when it
    beats the best cost so far); moved people stay tabu in that round for 5-15 iterations.
    After ``stall`` iterations without a new best, the search restarts from the best plan
    with a few random swaps. ``deadline`` (a ``time.monotonic()`` value) is only a safety
    net, checked every 32 iterations. Complexity: O(iterations * sample * n * k).
    """
    state = TabuSearch(inst, tab, rng)
    target = inst.lower_bound()
    best_tab, best_cost = state.tab.copy(), state.cost
    tabu = np.zeros((inst.rounds, inst.n), dtype=np.int64)
    last_gain, it = 0, 0
    stopped = "optimum"
    while state.cost > target:
        if it >= max_iterations:
            stopped = "iterations"
            break
        if it % 32 == 0 and time.monotonic() > deadline:
            stopped = "time_limit"
            break
        it += 1
        move = _best_move(state, tabu, it, best_cost, sample)
        if move is None:  # every move is tabu: let the tenures run out
            continue
        r, a, b = move
        state.swap(r, a, b)
        tabu[r, a] = it + TENURE[0] + rng.integers(TENURE[1] - TENURE[0] + 1)
        tabu[r, b] = it + TENURE[0] + rng.integers(TENURE[1] - TENURE[0] + 1)
        if state.cost < best_cost:
            best_tab, best_cost, last_gain = state.tab.copy(), state.cost, it
        elif it - last_gain > stall:
            state.load(best_tab)
            _perturb(state, rng, max(2, inst.n // 20))
            last_gain = it
    return SearchResult(best_tab, best_cost, it, stopped)


def _best_move(
    state: TabuSearch,
    tabu: np.ndarray,
    it: int,
    best_cost: int,
    sample: int,
) -> tuple[int, int, int] | None:
    """Best allowed swap over (a sample of) all conflicted (round, person) pairs."""
    own = state.own_leave()
    conflicted = state.conflicted(own)
    if len(conflicted) == 0:
        return None
    if len(conflicted) > sample:
        conflicted = conflicted[state.rng.choice(len(conflicted), sample, replace=False)]
    rs, movers = conflicted[:, 0], conflicted[:, 1]
    delta = state.deltas(rs, movers, own)
    aspire = state.cost + delta < best_cost
    free = (tabu[rs] <= it) & (tabu[rs, movers] <= it)[:, None]
    delta = np.where(free | aspire, delta, np.inf)
    low = delta.min()
    if not np.isfinite(low):
        return None
    ties = np.argwhere(delta == low)
    c, b = ties[state.rng.integers(len(ties))]
    return int(rs[c]), int(movers[c]), int(b)


def _perturb(state: TabuSearch, rng: np.random.Generator, swaps: int) -> None:
    for _ in range(swaps):
        r = int(rng.integers(state.inst.rounds))
        a, b = (int(x) for x in rng.choice(state.inst.n, size=2, replace=False))
        if state.tab[r, a] != state.tab[r, b]:
            state.swap(r, a, b)
