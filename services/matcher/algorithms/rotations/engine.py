"""Engine behind :func:`~rotations.plan_rotations`: encoding, strategy, decoding.

Strategy (see ``rotations`` for the objective): re-plans first try the previous plan's seats;
otherwise, or when that is not optimal, a design with a placement search when one fits, else
a round-by-round greedy (or Triska & Musliu's pair greedy when it starts lower); then a tabu
search until the cost reaches the lower bound or the move budget is spent. Every stage is
deterministic given the generator.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np

from services.matcher.algorithms.model import AlgorithmError, Pair, Person
from services.matcher.algorithms.rotations.greedy import (
    PAIR_GREEDY_MAX,
    greedy_tab,
    pair_greedy_tab,
)
from services.matcher.algorithms.rotations.library import construct
from services.matcher.algorithms.rotations.relabel import initial_placement, relabel_search
from services.matcher.algorithms.rotations.report import Rounds, site_cap, table_sizes
from services.matcher.algorithms.rotations.search import (
    W_FORBIDDEN,
    W_REPEAT,
    W_SAME_LINE,
    Instance,
    plan_cost,
    tabu_search,
)

#: (plan as tab[r, person], method, moves played, why the search stopped)
Outcome = tuple[np.ndarray, str, int, str]


def search(
    inst: Instance,
    table_size: int,
    rng: np.random.Generator,
    max_iterations: int,
    deadline: float,
    use_designs: bool,
    preset: np.ndarray | None = None,
) -> Outcome:
    """Planned seats first (re-plans), else/then design + placement or greedy, then tabu."""
    if preset is not None:
        kept = greedy_tab(inst, rng, preset=preset)
        outcome = _improve(inst, kept, "planned seats kept", 0, rng, max_iterations, deadline)
        if outcome[3] == "optimum":
            return outcome
        fresh = search(inst, table_size, rng, max_iterations, deadline, use_designs)
        return min(outcome, fresh, key=lambda o: plan_cost(inst, o[0]))
    built = construct(inst.n, table_size, inst.rounds) if use_designs else None
    its = 0
    if built is None:
        tab, method = greedy_tab(inst, rng), "greedy"
        if inst.n <= PAIR_GREEDY_MAX:  # a copy: the default path draws the same numbers
            paired = pair_greedy_tab(inst, copy.deepcopy(rng))
            if plan_cost(inst, paired) < plan_cost(inst, tab):
                tab, method = paired, "pair greedy (Triska-Musliu)"
    else:
        name, design = built
        ptab = np.zeros((len(design), inst.n), dtype=np.int64)
        for r, tables in enumerate(design):
            for t, points in enumerate(tables):
                ptab[r, points] = t
        sub = Instance(inst.sizes, inst.caps, inst.site, inst.base, inst.weight, len(design))
        point_of, _, its = relabel_search(
            sub, ptab, initial_placement(sub), rng, max_iterations=max_iterations, deadline=deadline
        )
        tab = np.zeros((inst.rounds, inst.n), dtype=np.int64)
        tab[: len(design)] = ptab[:, point_of]
        method = f"{name} + placement search"
        if len(design) < inst.rounds:
            tab = greedy_tab(inst, rng, range(len(design), inst.rounds), tab)
            method += " + greedy"
    return _improve(inst, tab, method, its, rng, max_iterations, deadline)


def _improve(
    inst: Instance,
    tab: np.ndarray,
    method: str,
    its: int,
    rng: np.random.Generator,
    max_iterations: int,
    deadline: float,
) -> Outcome:
    # plan_cost, not a TabuSearch: at 10,000 people its n x n matrices cost seconds
    if plan_cost(inst, tab) <= inst.lower_bound():
        return tab, method, its, "optimum"
    result = tabu_search(inst, tab, rng, max_iterations=max_iterations, deadline=deadline)
    return result.tab, method + " + tabu search", its + result.iterations, result.stopped_by


def planned_seats(inst: Instance, ids: list[str], planned: Rounds) -> np.ndarray:
    """``preset[r, a]``: the new table of ``a``'s planned table, or -1 (seated by the greedy).

    Planned tables, fullest first, take the new tables in size order (largest first), so a
    table that lost a leaver becomes one of the short tables instead of being broken up;
    people beyond a table's new size are left to the greedy.
    """
    index = {m: i for i, m in enumerate(ids)}
    preset = np.full((inst.rounds, inst.n), -1, dtype=np.int64)
    for r, tables in enumerate(planned[: inst.rounds]):
        kept = [[index[m] for m in table if m in index] for table in tables]
        kept.sort(key=len, reverse=True)  # stable: ties keep their planned order
        for t, here in enumerate(kept[: len(inst.sizes)]):
            preset[r, here[: int(inst.sizes[t])]] = t
    return preset


def encode(
    people: Sequence[Person],
    table_size: int,
    rounds: int,
    history: set[Pair],
    forbidden: set[Pair],
    max_site_share: float,
    same_line: set[Pair] | None = None,
) -> tuple[list[str], Instance]:
    """Integer instance; ``same_line`` pairs (one management line or team) weigh
    :data:`W_SAME_LINE`, forbidden ones :data:`W_FORBIDDEN`, history :data:`W_REPEAT`."""
    if table_size < 2 or rounds < 0 or not 0 < max_site_share <= 1:
        raise AlgorithmError("need table_size >= 2, rounds >= 0 and 0 < max_site_share <= 1")
    ids = sorted(p.id for p in people)
    if len(set(ids)) != len(ids):
        raise AlgorithmError("member ids must be unique")
    index = {m: i for i, m in enumerate(ids)}
    site_of = {p.id: p.site for p in people}
    site_names = sorted(set(site_of.values()))
    n = len(ids)
    # small integer types: these are (n+1)^2 matrices (10^8 cells at 10,000 people), and
    # every sum over them is accumulated in int64 by numpy
    base = np.zeros((n + 1, n + 1), dtype=np.int8)
    weight = np.full((n + 1, n + 1), W_REPEAT, dtype=np.int16)
    weighted = ((history, W_REPEAT), (same_line or set(), W_SAME_LINE), (forbidden, W_FORBIDDEN))
    for pairs, w in weighted:
        for p in pairs:
            if len(p) == 2 and all(m in index for m in p):
                a, b = (index[m] for m in p)
                base[a, b] = base[b, a] = 1
                weight[a, b] = weight[b, a] = max(w, int(weight[a, b]))
    weight[n, :] = weight[:, n] = 0
    np.fill_diagonal(weight, 0)
    sizes = np.array(table_sizes(n, table_size) or [table_size], dtype=np.int64)
    caps = np.array([site_cap(int(s), max_site_share) for s in sizes], dtype=np.int64)
    site_index = {s: i for i, s in enumerate(site_names)}
    site = np.array([site_index[site_of[m]] for m in ids], dtype=np.int64)
    return ids, Instance(sizes, caps, site, base, weight, rounds)


def decode(tab: np.ndarray, ids: list[str], tables: int) -> Rounds:
    return (
        [[tuple(ids[a] for a in np.flatnonzero(row == t)) for t in range(tables)] for row in tab]
        if ids
        else [[] for _ in range(len(tab))]
    )
