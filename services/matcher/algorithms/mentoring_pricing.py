"""Prove a pruned b-matching optimal for the full graph (column generation).

Solving the whole dense graph exactly is slow (10,000 x 5,000 edges); keeping
only the ``top_k`` best mentors of each mentee is fast but may lose a little.
:func:`solve_with_pricing` gets both: it solves the pruned problem exactly,
computes LP dual prices ``u, v`` for it (:func:`dual_certificate`), and checks
every pruned edge: if ``W[i, j] <= u[i] + v[j]`` everywhere, the prices are
feasible for the full LP, so by weak duality the pruned optimum IS the full
optimum (the b-matching LP is integral: the bipartite incidence matrix is
totally unimodular). Otherwise the violating edges are added and the pruned
problem re-solved. Every round either proves optimality or strictly grows the
candidate set, so it terminates; ``max_rounds`` bounds the work and the result
then carries the duality gap bound instead of a proof.

All of it runs on the integer weights ``W = rint(w * scale)`` of
:mod:`mentoring_solver` (exact integer arithmetic: the check has no tolerance);
see there for what the proof means for the float weights.

References
----------
G. B. Dantzig and P. Wolfe, "Decomposition principle for linear programs",
Operations Research 8 (1960) (column generation / pricing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from services.matcher.algorithms.mentoring_solver import (
    FloatArray,
    IntArray,
    dual_certificate,
    solve_integer,
    weight_scale,
)
from services.matcher.algorithms.model import AlgorithmError

_BLOCK = 512


@dataclass(frozen=True, slots=True)
class SolverStats:
    """How the exact solve went.

    Attributes
    ----------
    edges : feasible edges of the full graph (after hard constraints).
    candidates : edges in the last pruned problem (top-k plus added violators).
    pricing_rounds : solves done (1 = the first pruned solve was already optimal).
    added_edges : pruned edges put back because their reduced cost was violated.
    proved_optimal : the dual check passed on every edge of the full graph
        (exactly, on the integer weight grid of :mod:`mentoring_solver`).
    gap_bound : upper bound of (full optimum - returned total) in the solved
        weights: 0.0 when proved and the weights lie on the grid (the default
        scores do), else the duality gap plus the rounding bound
        ``min(n, sum caps) / scale``.
    """

    edges: int
    candidates: int
    pricing_rounds: int
    added_edges: int
    proved_optimal: bool
    gap_bound: float


def solve_with_pricing(
    weights: FloatArray,
    caps: IntArray,
    *,
    top_k: int = 20,
    shift: float = 0.0,
    max_rounds: int = 50,
    add_per_row: int = 25,
    overwrite: bool = False,
) -> tuple[IntArray, SolverStats]:
    """Exact max-weight b-matching on a dense weight matrix, via pruning + pricing.

    Parameters
    ----------
    weights : (n, m) array; ``-inf`` (or nan) marks a missing edge. Row = mentee
        (capacity 1), column = mentor.
    caps : (m,) mentor capacities.
    top_k : candidates kept per mentee before pricing (>= 1).
    shift : added to every present edge before solving; with
        ``shift = n * (max - min) + 1`` the optimum is lexicographic: most
        mentees first, then best total. With ``shift = 0`` edges of weight
        <= 0 are ignored (they never improve the total).
    max_rounds : solves allowed before giving up the proof.
    add_per_row : at most this many violating edges of each mentee are added
        per round (the most violated first).
    overwrite : reuse ``weights`` as the integer grid (saves a copy of the
        dense matrix; its content is then lost).

    Returns
    -------
    mate : (n,) chosen mentor column per mentee, -1 if unmatched.
    stats : :class:`SolverStats`.

    Complexity: two dense O(n * m) passes to build the grid and candidates,
    then per round a min-cost flow on about ``n * top_k`` edges, a
    Bellman-Ford for the prices and one dense O(n * m) pricing pass.

    Examples
    --------
    >>> w = np.array([[3.0, 1.0], [2.0, -np.inf], [1.0, 1.0]])
    >>> mate, stats = solve_with_pricing(w, np.array([1, 1]), top_k=1)
    >>> mate.tolist(), stats.proved_optimal
    ([0, -1, 1], True)
    """
    if top_k < 1 or max_rounds < 1:
        raise AlgorithmError("top_k and max_rounds must be >= 1")
    n, m = weights.shape
    caps = np.maximum(np.asarray(caps, dtype=np.int64), 0)
    if n == 0 or m == 0:
        return np.full(n, -1, dtype=np.int64), SolverStats(0, 0, 0, 0, True, 0.0)
    floor = -np.inf if shift > 0 else 0.0
    scale = weight_scale(_max_abs(weights, floor) + shift, n + m + 1)
    grid = weights if overwrite else np.empty_like(weights, dtype=np.float64)
    edges, exact, prices = _to_grid(weights, grid, scale, float(np.rint(shift * scale)), floor)
    rows, cols = _top_candidates(grid, min(top_k, m), prices)
    added = 0
    for rnd in range(1, max_rounds + 1):
        w = grid[rows, cols].astype(np.int64)
        mate = solve_integer(n, rows, cols, w, caps)
        u, v = dual_certificate(n, m, rows, cols, w, caps, mate)
        new_rows, new_cols = _violations(grid, u, v, add_per_row)
        if len(new_rows) == 0 or rnd == max_rounds:
            break
        added += len(new_rows)
        rows = np.concatenate((rows, new_rows))
        cols = np.concatenate((cols, new_cols))
    proved = len(new_rows) == 0
    rounding = 0.0 if exact else min(n, int(caps.sum())) / scale
    gap = rounding
    if not proved:
        primal = int(w[mate[rows] == cols].sum())
        dual = int(_full_row_prices(grid, u, v).sum()) + int((caps * v).sum())
        gap += (dual - primal) / scale
    stats = SolverStats(edges, len(rows), rnd, added, proved, gap)
    return mate, stats


def _max_abs(weights: FloatArray, floor: float) -> float:
    """Largest ``|w|`` over the present edges (``w > floor``, finite)."""
    top = 0.0
    for lo in range(0, weights.shape[0], _BLOCK):
        block = weights[lo : lo + _BLOCK]
        present = (block > floor) & (block < np.inf)
        top = max(
            top,
            float(np.max(block, where=present, initial=0.0)),
            -float(np.min(block, where=present, initial=0.0)),
        )
    return top


def _to_grid(
    weights: FloatArray, grid: FloatArray, scale: float, shift: float, floor: float
) -> tuple[int, bool, FloatArray]:
    """Fill ``grid`` with ``rint(w * scale) + shift`` (-inf where no usable edge).

    Returns the number of usable edges, whether every weight was on the grid
    (within float noise) and each column's mean integer weight (a rough price
    for the first candidates).
    """
    edges, exact = 0, True
    total = np.zeros(weights.shape[1])
    count = np.zeros(weights.shape[1])
    for lo in range(0, weights.shape[0], _BLOCK):
        x = weights[lo : lo + _BLOCK] * scale
        g = grid[lo : lo + _BLOCK]
        np.rint(x, out=g)
        present = (x > floor) & (x < np.inf)
        with np.errstate(invalid="ignore"):
            dev = np.max(np.abs(x - g), where=present, initial=0.0)
        exact = exact and bool(dev <= 1e-3)
        if shift:
            g += shift
        present &= g > 0
        g[~present] = -np.inf
        edges += int(np.count_nonzero(present))
        total += np.where(present, g, 0.0).sum(axis=0)
        count += present.sum(axis=0)
    return edges, exact, np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def _top_candidates(grid: FloatArray, k: int, prices: FloatArray) -> tuple[IntArray, IntArray]:
    """The k best present edges of each row by ``weight - prices[col]``.

    A rough price (the column mean) removes the part of the score every mentee
    gives the same mentor (popular, senior, multi-skilled mentors): ranking by
    raw score would send every mentee's candidates to the same few mentors,
    and the pruned optimum would be far from the full one.
    """
    rows_out, cols_out = [], []
    n, m = grid.shape
    for lo in range(0, n, _BLOCK):
        block = grid[lo : lo + _BLOCK]
        if k < m:
            idx = np.argpartition(prices[None, :] - block, k - 1, axis=1)[:, :k]
        else:
            idx = np.broadcast_to(np.arange(m), block.shape)
        r = np.repeat(np.arange(lo, lo + len(block)), idx.shape[1])
        c = idx.reshape(-1)
        ok = grid[r, c] > -np.inf
        rows_out.append(r[ok])
        cols_out.append(c[ok])
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(cols_out).astype(np.int64)


def _violations(
    grid: FloatArray, u: IntArray, v: IntArray, per_row: int
) -> tuple[IntArray, IntArray]:
    """Edges with ``W > u + v`` (exact: integers in float64), the ``per_row`` worst per row."""
    uf, vf = u.astype(np.float64), v.astype(np.float64)
    rows_out, cols_out, excess_out = [], [], []
    for lo in range(0, grid.shape[0], _BLOCK):
        excess = grid[lo : lo + _BLOCK] - vf[None, :]
        excess -= uf[lo : lo + len(excess), None]
        r, c = np.nonzero(excess > 0.5)
        rows_out.append(r + lo)
        cols_out.append(c)
        excess_out.append(excess[r, c])
    rows, cols = np.concatenate(rows_out), np.concatenate(cols_out)
    excess = np.concatenate(excess_out)
    # Keep the per_row most violated of each row (rows are already sorted).
    order = np.lexsort((-excess, rows))
    rows, cols = rows[order], cols[order]
    first = np.searchsorted(rows, rows, side="left")
    keep = np.arange(len(rows)) - first < per_row
    return rows[keep].astype(np.int64), cols[keep].astype(np.int64)


def _full_row_prices(grid: FloatArray, u: IntArray, v: IntArray) -> IntArray:
    """``u`` raised to each row's worst violation: dual feasible on every edge."""
    out = u.copy()
    vf = v.astype(np.float64)
    for lo in range(0, grid.shape[0], _BLOCK):
        worst = (grid[lo : lo + _BLOCK] - vf[None, :]).max(axis=1)
        worst = np.where(np.isfinite(worst), worst, 0.0).astype(np.int64)
        out[lo : lo + len(worst)] = np.maximum(out[lo : lo + len(worst)], worst)
    return out
