"""Round-by-round greedy seating: the naive baseline and the tabu search's starting point.

References
----------
.. [1] M. Triska, N. Musliu, "An effective greedy heuristic for the social golfer problem",
   Annals of Operations Research 194 (2012) — a stronger, pair-based greedy (not this one).
"""

from __future__ import annotations

import numpy as np

from services.matcher.algorithms.rotations.search import W_SITE, Instance


def greedy_tab(
    inst: Instance,
    rng: np.random.Generator,
    rounds: range | None = None,
    tab: np.ndarray | None = None,
    preset: np.ndarray | None = None,
) -> np.ndarray:
    """Round-by-round greedy: each person (random order) takes the open table where they
    meet the fewest already-met (weighted) people, site cap counted.

    Fills ``rounds`` (default all) of ``tab`` (default a fresh array); other rounds of
    ``tab`` are kept and their encounters count as already met. ``preset[r, a] >= 0`` seats
    ``a`` there before the greedy places the others (used to keep planned seats on re-plans).

    Who has met whom is kept as each person's list of people already met (history,
    same line or team, forbidden, and table-mates of the rounds so far), not as an
    ``n x n`` matrix: O(n^2) once to read ``inst.base``, then O(R * n * (m + t)) with
    ``m`` the people a person has already met (tens), instead of O(R * n * n).

    >>> n = 6
    >>> inst = Instance(np.array([3, 3]), np.array([2, 2]), np.array([0, 1] * 3),
    ...                 np.zeros((n + 1, n + 1), dtype=np.int64),
    ...                 np.full((n + 1, n + 1), 2, dtype=np.int64), 2)
    >>> [np.bincount(row).tolist() for row in greedy_tab(inst, np.random.default_rng(0))]
    [[3, 3], [3, 3]]
    """
    n, t = inst.n, len(inst.sizes)
    out = np.zeros((inst.rounds, n), dtype=np.int64) if tab is None else tab.copy()
    todo = range(inst.rounds) if rounds is None else rounds
    met = _met_lists(inst, [out[r] for r in range(inst.rounds) if r not in todo])
    for r in todo:
        seat = np.full(n, -1) if preset is None else preset[r].copy()
        placed = seat >= 0
        free = inst.sizes - np.bincount(seat[placed], minlength=t)
        counts = np.zeros((t, int(inst.site.max()) + 1), dtype=np.int64)
        np.add.at(counts, (seat[placed], inst.site[placed]), 1)
        for a in rng.permutation(n):
            if seat[a] >= 0:
                continue
            known = met[a]
            where = seat[known]
            here = where >= 0
            clash = np.bincount(where[here], weights=inst.weight[a, known[here]], minlength=t)
            score = clash + W_SITE * (counts[:, inst.site[a]] >= inst.caps)
            score = np.where(free > 0, score, np.inf)
            table = int(np.argmin(score))
            seat[a] = table
            free[table] -= 1
            counts[table, inst.site[a]] += 1
        out[r] = seat
        met = _met_lists(inst, [seat], met)
    return out


def _met_lists(
    inst: Instance, rows: list[np.ndarray], met: list[np.ndarray] | None = None
) -> list[np.ndarray]:
    """Each person's sorted array of people met: ``met`` (else ``inst.base``) plus the
    table-mates of the seatings ``rows``. A person never counts as met by themself.
    O(E log E) for the E (person, person met) entries, in numpy."""
    n = inst.n
    if met is None:
        a, b = np.nonzero(inst.base[:n, :n])
    else:
        a = np.repeat(np.arange(n), [len(m) for m in met])
        b = np.concatenate(met) if met else np.zeros(0, dtype=np.intp)
    keys = [a.astype(np.int64) * n + b]
    for row in rows:
        by_table = np.argsort(row, kind="stable")
        bounds = np.searchsorted(row[by_table], np.arange(len(inst.sizes) + 1))
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            table = by_table[lo:hi].astype(np.int64)
            keys.append((table[:, None] * n + table[None, :]).ravel())
    key = np.unique(np.concatenate(keys))
    a, b = key // n, key % n
    keep = a != b
    a, b = a[keep], b[keep]
    return np.split(b, np.searchsorted(a, np.arange(1, n)))


#: Largest seminar the pair greedy seats (it costs O(n^3) numpy work per pair placed).
PAIR_GREEDY_MAX = 160


def pair_greedy_tab(inst: Instance, rng: np.random.Generator) -> np.ndarray:
    """Triska & Musliu's greedy: each round fills the tables in turn with *pairs* of people
    new to each other and to the table, picking the pair that keeps the most freedom (people
    still new to both and to the table); a table of odd size or with no such pair left
    takes single people as :func:`greedy_tab` does (fewest weighted conflicts, site cap
    counted). Ties are broken at random. O(R * n^4 / 2) in the worst case, numpy-vectorised;
    used only up to :data:`PAIR_GREEDY_MAX` people.

    >>> from services.matcher.algorithms.rotations.search import Instance
    >>> n = 9
    >>> inst = Instance(np.array([3, 3, 3]), np.array([1, 1, 1]), np.arange(n),
    ...                 np.zeros((n + 1, n + 1), dtype=np.int64),
    ...                 np.full((n + 1, n + 1), 2, dtype=np.int64), 4)
    >>> tab = pair_greedy_tab(inst, np.random.default_rng(0))
    >>> tab.shape, sorted(np.bincount(tab[3]).tolist())
    ((4, 9), [3, 3, 3])
    """
    n, t = inst.n, len(inst.sizes)
    out = np.zeros((inst.rounds, n), dtype=np.int64)
    met = inst.base[:n, :n].astype(bool)  # astype copies
    np.fill_diagonal(met, True)
    n_sites = int(inst.site.max()) + 1
    for r in range(inst.rounds):
        seat = np.full(n, -1)
        counts = np.zeros((t, n_sites), dtype=np.int64)
        for table in range(t):
            size = int(inst.sizes[table])
            members: list[int] = []
            while len(members) + 2 <= size:
                pick = _best_pair(met, seat, members, rng)
                if pick is None:
                    break
                members.extend(pick)
            for a in members:
                seat[a] = table
                counts[table, inst.site[a]] += 1
            while len(members) < size:
                cap = int(inst.caps[table])
                a = _best_single(inst, met, seat, members, counts[table], cap, rng)
                members.append(a)
                seat[a] = table
                counts[table, inst.site[a]] += 1
        out[r] = seat
        same = seat[:, None] == seat[None, :]
        met |= same
    return out


def _best_pair(
    met: np.ndarray, seat: np.ndarray, members: list[int], rng: np.random.Generator
) -> tuple[int, int] | None:
    free = np.flatnonzero(seat < 0)
    if members:
        free = free[~met[np.ix_(free, np.array(members))].any(1)]
    if len(free) < 2:
        return None
    new = ~met[np.ix_(free, free)]  # new[i, j]: free[i] and free[j] never met
    score = (new.astype(np.int64) @ new.T.astype(np.int64)).astype(np.float64)
    score[~new] = -1.0
    np.fill_diagonal(score, -1.0)
    top = score.max()
    if top < 0:
        return None
    i, j = np.argwhere(score == top)[rng.integers(int((score == top).sum()))]
    return int(free[i]), int(free[j])


def _best_single(
    inst: Instance,
    met: np.ndarray,
    seat: np.ndarray,
    members: list[int],
    counts: np.ndarray,
    cap: int,
    rng: np.random.Generator,
) -> int:
    free = np.flatnonzero(seat < 0)
    clash = met[np.ix_(free, np.array(members))].sum(1) if members else np.zeros(len(free))
    over = counts[inst.site[free]] >= cap
    score = W_REPEAT_SINGLE * clash + over
    best = np.flatnonzero(score == score.min())
    return int(free[best[rng.integers(len(best))]])


#: A met person at the table outweighs a site above its cap (as in the search's weights).
W_REPEAT_SINGLE = 2
