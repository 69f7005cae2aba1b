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
    meet the fewest already-met (weighted) people, site cap counted. O(R * n * (n + t)).

    Fills ``rounds`` (default all) of ``tab`` (default a fresh array); other rounds of
    ``tab`` are kept and their encounters count as already met. ``preset[r, a] >= 0`` seats
    ``a`` there before the greedy places the others (used to keep planned seats on re-plans).
    """
    n, t = inst.n, len(inst.sizes)
    out = np.zeros((inst.rounds, n), dtype=np.int64) if tab is None else tab.copy()
    todo = range(inst.rounds) if rounds is None else rounds
    met = inst.base[:n, :n].astype(np.int64).copy()
    for r in range(inst.rounds):
        if r not in todo:
            met += out[r][:, None] == out[r][None, :]
    for r in todo:
        seat = np.full(n, -1) if preset is None else preset[r].copy()
        placed = seat >= 0
        free = inst.sizes - np.bincount(seat[placed], minlength=t)
        counts = np.zeros((t, int(inst.site.max()) + 1), dtype=np.int64)
        np.add.at(counts, (seat[placed], inst.site[placed]), 1)
        for a in rng.permutation(n):
            if seat[a] >= 0:
                continue
            placed = seat >= 0
            clash = np.bincount(
                seat[placed], weights=(inst.weight[a, :n] * (met[a] >= 1))[placed], minlength=t
            )
            score = clash + W_SITE * (counts[:, inst.site[a]] >= inst.caps)
            score = np.where(free > 0, score, np.inf)
            table = int(np.argmin(score))
            seat[a] = table
            free[table] -= 1
            counts[table, inst.site[a]] += 1
        out[r] = seat
        met += seat[:, None] == seat[None, :]
    return out
