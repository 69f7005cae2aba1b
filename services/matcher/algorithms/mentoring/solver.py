"""Array-level exact solver for maximum-weight bipartite b-matching.

Left vertices (mentees) have capacity 1, right vertices (mentors) capacity
``caps[j]``; every vertex may stay unmatched. Edges are given as parallel arrays
``rows, cols, w`` (unique ``(row, col)`` pairs).

* Weights are put on an integer grid first (:func:`weight_scale`,
  :func:`to_grid`): ``W = rint(w * scale)`` with ``scale = GRID * 2**k``, the
  largest one keeping every cost below ``2**COST_BITS`` (and, for the dense
  int32 grid of a round, every weight below ``2**30``). Everything after that
  (solve, dual prices, pricing check) is exact integer arithmetic.
* :func:`solve_integer` solves it as a min-cost flow with OR-tools'
  ``SimpleMinCostFlow`` (compiled cost-scaling push-relabel, exact on
  integers): every mentee has supply 1 and sends it to the sink either through
  a mentor (edge arc of cost ``-W``, then the mentor's arc of capacity
  ``caps[j]``) or through its own "stay unmatched" arc of cost 0.
* :func:`dual_certificate` turns that optimum into integer LP dual prices
  ``u`` (mentees) and ``v`` (mentors) with ``u, v >= 0``,
  ``u[i] + v[j] >= W[i, j]`` on every edge and equal objectives. The prices are
  shortest-path distances in the difference-constraint graph written by the
  complementary-slackness conditions (mentor-level residual graph).
* :func:`solve_with_pricing` (module :mod:`.pricing`) uses the prices to
  prove that a solve restricted to the top-k candidates of each mentee is optimal
  for the full graph.

Rounding, precisely: the optimum and its proof are exact for the integer
weights ``W``. When every ``w * scale`` is an integer (up to float noise, which
is measured: :func:`to_grid`, ``WeightGrid.deviation``), ``W = w * scale`` and
the result is the exact optimum of ``w``. ``GRID = 110880 = 4 * lcm(1..12)``
makes that hold for the default
:class:`~services.matcher.algorithms.mentoring.scoring.ScoreWeights` whenever wish lists
and theme lists have at most 12 entries and seniorities are multiples of
1/8 year (with ``k >= 1``, as for any round of up to millions of edges):
every score is then a multiple of ``1 / scale``. Otherwise each
``|w * scale - W| <= d <= 1/2`` and the float optimum exceeds the returned
float total by at most ``2 * min(n, sum caps) * d / scale``, which is what
``gap_bound`` then reports (at most about ``n * max|w| * 2**-30`` with the
int32 grid of the round).

References
----------
A. V. Goldberg, "An efficient implementation of a scaling minimum-cost flow
algorithm", J. Algorithms 22 (1997) 1-29 (the OR-tools solver).
A. Schrijver, *Combinatorial Optimization*, ch. 21 (b-matchings, total unimodularity).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from services.matcher.algorithms.model import AlgorithmError

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

GRID = 110_880
COST_BITS = 40


def weight_scale(max_abs: float, n_nodes: int = 0, bits: int = COST_BITS) -> float:
    """Largest ``GRID * 2**k`` (``k >= 0``, else ``2**k``) with ``max_abs * scale <= 2**bits``.

    The bound is lowered for huge graphs so that OR-tools' cost scaling
    (costs multiplied by the number of nodes) stays inside int64.

    >>> weight_scale(2.75) == GRID * 2**21
    True
    """
    bits = min(bits, 61 - math.ceil(math.log2(n_nodes + 2)))
    limit = 2.0**bits / max(max_abs, 1.0)
    if limit >= GRID:
        return float(GRID * 2 ** math.floor(math.log2(limit / GRID)))
    return float(2.0 ** math.floor(math.log2(limit)))


def to_grid(w: FloatArray, scale: float) -> tuple[FloatArray, bool]:
    """``rint(w * scale)`` (float64 holding exact integers) and whether it was exact.

    Exact means every finite ``w * scale`` was within 1e-3 of an integer (the
    weights were on the grid, the deviation is float noise).
    """
    x = w * scale
    out = np.rint(x)
    finite = np.isfinite(x)
    exact = bool(np.all(np.abs(x[finite] - out[finite]) <= 1e-3)) if finite.any() else True
    return out, exact


def solve_sparse(
    n_left: int, rows: IntArray, cols: IntArray, w: FloatArray, caps: IntArray
) -> IntArray:
    """Optimal b-matching; returns ``mate[i]`` = chosen right vertex of ``i`` or -1.

    Edges of weight <= 0 are never needed for the optimum (drop them, or shift
    all weights for a lexicographic objective). Weights are put on the integer
    grid of :func:`weight_scale` (exact for grid weights, see the module notes).

    Complexity: one min-cost flow (:func:`solve_integer`).

    >>> solve_sparse(2, np.array([0, 1]), np.array([0, 0]), np.array([2.0, 1.0]),
    ...              np.array([1])).tolist()
    [0, -1]
    """
    if not np.all(np.isfinite(w)):
        raise AlgorithmError("solve_sparse needs finite weights")
    caps = np.asarray(caps, dtype=np.int64)
    scale = weight_scale(float(np.abs(w).max(initial=0.0)), n_left + len(caps) + 1)
    grid, _ = to_grid(np.asarray(w, dtype=np.float64), scale)
    return solve_integer(n_left, rows, cols, grid.astype(np.int64), caps)


def solve_integer(
    n_left: int, rows: IntArray, cols: IntArray, w: IntArray, caps: IntArray
) -> IntArray:
    """Exact max-weight b-matching for integer weights (OR-tools min-cost flow).

    Network: mentee ``i`` (supply 1) -> mentor ``j`` (capacity 1, cost
    ``-w``) -> sink (capacity ``caps[j]``); mentee -> sink (cost 0) = stay
    unmatched. Only edges with ``w > 0`` are given to the solver (the others
    can never raise the total).

    Complexity: cost-scaling push-relabel, O(V^2 E log(V C)) worst case,
    in practice a few tenths of a second for 10,000 mentees and 200,000
    candidate edges.
    """
    mate = np.full(n_left, -1, dtype=np.int64)
    keep = w > 0
    rows, cols, w = rows[keep], cols[keep], w[keep]
    if len(w) == 0:
        return mate
    m = len(caps)
    sink = n_left + m
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate((rows, n_left + np.arange(m), np.arange(n_left)))
    heads = np.concatenate((n_left + cols, np.full(m, sink), np.full(n_left, sink)))
    ones = np.ones(len(w) + n_left + m, dtype=np.int64)
    capacity = np.concatenate((ones[: len(w)], np.maximum(caps, 0), ones[:n_left]))
    cost = np.concatenate((-w, np.zeros(m + n_left, np.int64)))
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacity, cost
    )
    supply = np.zeros(sink + 1, dtype=np.int64)
    supply[:n_left] = 1
    supply[sink] = -n_left
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise AlgorithmError(f"min-cost flow failed: {status}")
    used = np.asarray(flow.flows(np.asarray(arcs, dtype=np.int32)[: len(w)])) > 0
    mate[rows[used]] = cols[used]
    return mate


def dual_certificate(
    n_left: int,
    n_right: int,
    rows: IntArray,
    cols: IntArray,
    w: IntArray,
    caps: IntArray,
    mate: IntArray,
) -> tuple[IntArray, IntArray]:
    """Integer LP dual prices ``(u, v)`` proving that ``mate`` is optimal on these edges.

    Complementary slackness for the LP ``max w.x, sum_j x_ij <= 1,
    sum_i x_ij <= caps[j], x >= 0`` gives difference constraints on ``v``:
    for a matched mentee ``i`` (mentor ``m``) and another edge ``(i, j)``,
    ``v[m] - v[j] <= w[i, m] - w[i, j]``; ``0 <= v[m] <= w[i, m]``;
    ``v[j] >= w[i, j]`` for an unmatched ``i``; ``v[j] = 0`` when ``j`` is not
    full. They are solved as shortest paths from an extra node ``z``
    (``v[z] = 0``) in the reversed graph, giving the smallest prices ``v`` (hence
    the largest ``u[i] = w[i, m] - v[m]``), which prices pruned edges best.
    Edges with ``w <= 0`` are ignored (never used, ``u, v >= 0`` covers them).

    Raises :class:`AlgorithmError` if ``mate`` is not optimal (negative cycle).

    Complexity: O(E * h) where h is the number of arcs of the longest shortest
    path (vectorised Bellman-Ford in int64, stops at the first pass without change).
    """
    keep = w > 0
    rows, cols, w = rows[keep], cols[keep], w[keep]
    z = n_right
    matched = mate >= 0
    w_match = np.zeros(n_left, dtype=np.int64)
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
            np.zeros(n_right, np.int64),
            np.zeros(len(not_full), np.int64),
        )
    )
    # Reversed graph: dist(z -> j) there is dist(j -> z) here; v[j] = -dist.
    v = np.maximum(-_bellman_ford(n_right + 1, dst, src, cost, z)[:n_right], 0)
    u = np.zeros(n_left, dtype=np.int64)
    u[matched] = np.maximum(w_match[matched] - v[mate[matched]], 0)
    return u, v


_UNREACHED = np.int64(2**62)


def _bellman_ford(n: int, src: IntArray, dst: IntArray, cost: IntArray, source: int) -> IntArray:
    """Shortest int64 distances from ``source``; arcs may be negative, no negative cycle."""
    order = np.argsort(dst, kind="stable")
    src, dst, cost = src[order], dst[order], cost[order]
    heads, starts = np.unique(dst, return_index=True)
    dist = np.full(n, _UNREACHED, dtype=np.int64)
    dist[source] = 0
    for _ in range(n + 1):
        at = dist[src]
        best = np.minimum.reduceat(np.where(at < _UNREACHED, at + cost, _UNREACHED), starts)
        better = best < dist[heads]
        if not better.any():
            return dist
        dist[heads[better]] = best[better]
    raise AlgorithmError("negative cycle: the matching given is not optimal")
