"""Array-level exact solver for maximum-weight bipartite b-matching.

Left vertices (mentees) have capacity 1, right vertices (mentors) capacity
``caps[j]``; every vertex may stay unmatched. Edges are given as parallel arrays
``rows, cols, w`` (unique ``(row, col)`` pairs).

* :func:`solve_sparse` solves it exactly as a rectangular assignment problem:
  each mentor is expanded into ``caps[j]`` identical slots, "stay unmatched"
  columns are added (a few shared ones, proved sufficient afterwards, else one
  per mentee), and scipy's sparse Jonker-Volgenant solver (LAPJVsp) finds a
  minimum-cost full matching.
* :func:`dual_certificate` turns that optimum into LP dual prices
  ``u`` (mentees) and ``v`` (mentors) with ``u, v >= 0``,
  ``u[i] + v[j] >= w[i, j]`` on every edge and equal objectives. The prices are
  shortest-path distances in the difference-constraint graph written by the
  complementary-slackness conditions (mentor-level residual graph).
* :func:`solve_with_pricing` (module :mod:`mentoring_pricing`) uses the prices to
  prove that a solve restricted to the top-k candidates of each mentee is optimal
  for the full graph.

References
----------
R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for dense and
sparse linear assignment problems", Computing 38 (1987) 325-340.
A. Schrijver, *Combinatorial Optimization*, ch. 21 (b-matchings, total unimodularity).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from services.matcher.algorithms.model import AlgorithmError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def solve_sparse(
    n_left: int, rows: IntArray, cols: IntArray, w: FloatArray, caps: IntArray
) -> IntArray:
    """Optimal b-matching; returns ``mate[i]`` = chosen right vertex of ``i`` or -1.

    All ``w`` must be > 0 (an edge of weight <= 0 never improves the objective:
    drop it, or shift all weights for a lexicographic objective).

    Complexity: LAPJVsp on ``n`` rows, about ``sum(caps)`` columns and
    ``sum_e caps[col_e]`` entries: one shortest augmenting path per row, each
    step of which scans all columns in scipy's implementation, so
    O(n * steps * sum(caps)) worst case; fast when augmenting paths are short,
    over 1 s for 10,000 mentees competing for popular mentors.

    >>> solve_sparse(2, np.array([0, 1]), np.array([0, 0]), np.array([2.0, 1.0]),
    ...              np.array([1])).tolist()
    [0, -1]
    """
    mate = np.full(n_left, -1, dtype=np.int64)
    if len(w) == 0:
        return mate
    if np.any(w <= 0) or not np.all(np.isfinite(w)):
        raise AlgorithmError("solve_sparse needs finite weights > 0")
    left, r = np.unique(rows, return_inverse=True)
    right, c = np.unique(cols, return_inverse=True)
    deg = np.bincount(c, minlength=len(right))
    cap = np.minimum(caps[right], deg)
    keep = cap[c] > 0
    r, c, we = r[keep], c[keep], w[keep]
    if len(we) == 0:
        return mate
    start = np.concatenate(([0], np.cumsum(cap)))
    n_slots = int(start[-1])
    # Each edge to mentor j becomes cap[j] entries, one per slot of j.
    reps = cap[c]
    edge = np.repeat(np.arange(len(we)), reps)
    offset = np.arange(len(edge)) - np.repeat(np.cumsum(reps) - reps, reps)
    top = float(we.max()) + 1.0
    n = len(left)
    slot_owner = np.repeat(np.arange(len(right)), cap)
    real_i, real_j, real_cost = r[edge], start[c[edge]] + offset, top - we[edge]
    # "Stay unmatched" columns. A few shared ones (each joined to every row)
    # keep the column count near sum(caps): scipy's LAPJVsp scans all columns
    # at every Dijkstra step, so n private ones would double that cost. If the
    # optimum leaves a shared column free, the "at most d unmatched" limit was
    # slack, hence (LP complementary slackness, integral LP) not binding: the
    # result is optimal without it. Otherwise d is doubled and we solve again.
    d = max(0, n - n_slots) + _SHARED_UNMATCHED
    while d * n <= 2 * len(real_i) + 4 * n:
        col_ind = _assign(n, n_slots, d, real_i, real_j, real_cost, top, shared=True)
        if col_ind is not None and np.count_nonzero(col_ind >= n_slots) < d:
            break
        d *= 2
    else:
        col_ind = _assign(n, n_slots, n, real_i, real_j, real_cost, top, shared=False)
    assert col_ind is not None
    real = col_ind < n_slots
    mate[left[np.flatnonzero(real)]] = right[slot_owner[col_ind[real]]]
    return mate


_SHARED_UNMATCHED = 16


def _assign(
    n: int,
    n_slots: int,
    d: int,
    real_i: IntArray,
    real_j: IntArray,
    real_cost: FloatArray,
    top: float,
    *,
    shared: bool,
) -> IntArray | None:
    """Column of each row in a min-cost full matching; None if none exists."""
    if shared:
        dummy_i = np.repeat(np.arange(n), d)
        dummy_j = n_slots + np.tile(np.arange(d), n)
    else:
        dummy_i = np.arange(n)
        dummy_j = n_slots + dummy_i
    data = np.concatenate((real_cost, np.full(len(dummy_i), top)))
    i_idx = np.concatenate((real_i, dummy_i))
    j_idx = np.concatenate((real_j, dummy_j))
    graph = coo_array((data, (i_idx, j_idx)), shape=(n, n_slots + d)).tocsr()
    try:
        row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    except ValueError:
        return None
    out = np.empty(n, dtype=np.int64)
    out[row_ind] = col_ind
    return out


def dual_certificate(
    n_left: int,
    n_right: int,
    rows: IntArray,
    cols: IntArray,
    w: FloatArray,
    caps: IntArray,
    mate: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """LP dual prices ``(u, v)`` proving that ``mate`` is optimal on these edges.

    Complementary slackness for the LP ``max w.x, sum_j x_ij <= 1,
    sum_i x_ij <= caps[j], x >= 0`` gives difference constraints on ``v``:
    for a matched mentee ``i`` (mentor ``m``) and another edge ``(i, j)``,
    ``v[m] - v[j] <= w[i, m] - w[i, j]``; ``0 <= v[m] <= w[i, m]``;
    ``v[j] >= w[i, j]`` for an unmatched ``i``; ``v[j] = 0`` when ``j`` is not
    full. They are solved as shortest paths from an extra node ``z``
    (``v[z] = 0``) in the reversed graph, giving the smallest prices ``v`` (hence
    the largest ``u[i] = w[i, m] - v[m]``), which prices pruned edges best.

    Raises :class:`AlgorithmError` if ``mate`` is not optimal (negative cycle).

    Complexity: O(E * h) where h is the number of arcs of the longest shortest
    path (vectorised Bellman-Ford, stops at the first pass without change).
    """
    z = n_right
    matched = mate >= 0
    w_match = np.zeros(n_left)
    is_match = mate[rows] == cols
    w_match[rows[is_match]] = w[is_match]
    load = np.bincount(mate[matched], minlength=n_right)
    other = matched[rows] & ~is_match
    free_row = ~matched[rows]
    not_full = np.flatnonzero(load < caps)
    # Arcs a -> b with cost c encode v[b] <= v[a] + c.
    src = np.concatenate(
        (
            cols[other],
            np.full(int(matched.sum()), z),
            cols[free_row],
            np.arange(n_right),
            np.full(len(not_full), z),
        )
    )
    dst = np.concatenate(
        (
            mate[rows[other]],
            mate[matched],
            np.full(int(free_row.sum()), z),
            np.full(n_right, z),
            not_full,
        )
    )
    cost = np.concatenate(
        (
            w_match[rows[other]] - w[other],
            w_match[matched],
            -w[free_row],
            np.zeros(n_right),
            np.zeros(len(not_full)),
        )
    )
    scale = max(1.0, float(np.abs(w).max(initial=0.0)))
    # Reversed graph: dist(z -> j) there is dist(j -> z) here; v[j] = -dist.
    v = -_bellman_ford(n_right + 1, dst, src, cost, z, tol=1e-12 * scale)[:n_right]
    v = np.maximum(v, 0.0)
    u = np.zeros(n_left)
    u[matched] = np.maximum(w_match[matched] - v[mate[matched]], 0.0)
    return u, v


def _bellman_ford(
    n: int, src: IntArray, dst: IntArray, cost: FloatArray, source: int, tol: float
) -> FloatArray:
    """Shortest distances from ``source``; arcs may be negative, no negative cycle."""
    order = np.argsort(dst, kind="stable")
    src, dst, cost = src[order], dst[order], cost[order]
    heads, starts = np.unique(dst, return_index=True)
    dist = np.full(n, np.inf)
    dist[source] = 0.0
    for _ in range(n + 1):
        best = np.minimum.reduceat(dist[src] + cost, starts)
        better = best < dist[heads] - tol
        if not better.any():
            return dist
        dist[heads[better]] = best[better]
    raise AlgorithmError("negative cycle: the matching given is not optimal")
