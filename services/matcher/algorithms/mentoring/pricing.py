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
:mod:`.solver` (exact integer arithmetic: the check has no tolerance);
see there for what the proof means for the float weights.

References
----------
G. B. Dantzig and P. Wolfe, "Decomposition principle for linear programs",
Operations Research 8 (1960) (column generation / pricing).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from services.matcher.algorithms.mentoring.solver import (
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
        (exactly, on the integer weight grid of :mod:`.solver`).
    gap_bound : upper bound of (full optimum - returned total) in the solved
        weights: 0.0 when proved and the weights lie on the grid (the default
        scores do), else the duality gap plus the rounding bound
        ``2 * min(n, sum caps) * max|w * scale - W| / scale``.
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
    top_k: int = 30,
    shift: float = 0.0,
    max_rounds: int = 50,
    add_per_row: int = 25,
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
    top = _max_abs(weights, floor)
    scale = min(weight_scale(top + shift, n + m + 1), weight_scale(top, bits=GRID_BITS))
    grid = WeightGrid((n, m), scale, shift)
    for lo in range(0, n, _BLOCK):
        block = weights[lo : lo + _BLOCK]
        usable = (block > floor) & (block < np.inf)
        grid.set_rows(lo, np.where(usable, block, 0.0), usable)
    return solve_grid(grid, caps, top_k=top_k, max_rounds=max_rounds, add_per_row=add_per_row)


GRID_BITS = 30
NO_EDGE = np.iinfo(np.int32).min


class WeightGrid:
    """Dense integer weights ``W = rint(w * scale)`` as int32, ``NO_EDGE`` = no edge.

    ``scale`` must keep ``|W| <= 2**GRID_BITS``; ``shift`` (a float weight,
    put on the grid) is added to every edge when solving and pricing, not
    stored. ``deviation`` is the largest ``|w * scale - W|`` seen (shift included). Filled
    by row blocks with :meth:`set_rows` (a caller can score, mask and scale one
    cache-sized block at a time); keeps the usable edge count, the largest
    rounding deviation and column sums for the first candidate ranking.
    """

    def __init__(self, shape: tuple[int, int], scale: float, shift: float = 0.0) -> None:
        self.values = np.empty(shape, dtype=np.int32)
        self.scale, self.shift = scale, int(np.rint(shift * scale))
        self.edges, self.deviation = 0, abs(shift * scale - self.shift)
        self._total = np.zeros(shape[1])
        self._count = np.zeros(shape[1], dtype=np.int64)

    @property
    def exact(self) -> bool:
        """Every weight was on the grid (``w * scale`` within float noise of an integer)."""
        return self.deviation <= 1e-3

    def set_rows(self, lo: int, w: FloatArray, usable: npt.NDArray[np.bool_]) -> None:
        """Rows ``lo : lo + len(w)`` from finite float weights ``w`` where ``usable``.

        An edge with ``W + shift <= 0`` is dropped (it can never raise the
        total). The rounding deviation is measured on every entry (a
        conservative check: masked entries count too).
        """
        x = w * self.scale
        g = np.rint(x)
        x -= g
        self.deviation = max(self.deviation, float(x.max(initial=0.0)), -float(x.min(initial=0.0)))
        ok = usable & (g > -self.shift)
        # (g - NO_EDGE) * ok + NO_EDGE: W where usable, NO_EDGE elsewhere.
        g -= NO_EDGE
        g *= ok
        count = ok.sum(axis=0)
        self._total += g.sum(axis=0)
        self._count += count
        self.edges += int(count.sum())
        g += NO_EDGE
        np.copyto(self.values[lo : lo + len(w)], g, casting="unsafe")

    def column_means(self) -> FloatArray:
        """Mean ``W`` of the usable edges of each column (0 if none)."""
        c = self._count
        mean = np.divide(self._total, c, out=np.zeros_like(self._total), where=c > 0)
        return np.where(c > 0, mean + NO_EDGE, 0.0)


def solve_grid(
    grid: WeightGrid,
    caps: IntArray,
    *,
    top_k: int = 30,
    max_rounds: int = 50,
    add_per_row: int = 25,
) -> tuple[IntArray, SolverStats]:
    """:func:`solve_with_pricing` on a filled :class:`WeightGrid` (same result and stats)."""
    if top_k < 1 or max_rounds < 1:
        raise AlgorithmError("top_k and max_rounds must be >= 1")
    values, scale, shift = grid.values, grid.scale, grid.shift
    n, m = values.shape
    caps = np.maximum(np.asarray(caps, dtype=np.int64), 0)
    rows, cols = _top_candidates(values, min(top_k, m), grid.column_means())
    added = 0
    for rnd in range(1, max_rounds + 1):
        w = values[rows, cols].astype(np.int64) + shift
        mate = solve_integer(n, rows, cols, w, caps)
        u, v = dual_certificate(n, m, rows, cols, w, caps, mate)
        new_rows, new_cols = _violations(values, u, v - shift, add_per_row)
        if len(new_rows) == 0 or rnd == max_rounds:
            break
        added += len(new_rows)
        rows = np.concatenate((rows, new_rows))
        cols = np.concatenate((cols, new_cols))
    proved = len(new_rows) == 0
    # |scale * w(M) - W(M)| <= |M| * deviation for any matching M, and W(ours)
    # >= W(M*): the float optimum exceeds ours by at most this much.
    gap = 0.0 if grid.exact else 2 * min(n, int(caps.sum())) * grid.deviation / scale
    if not proved:
        primal = int(w[mate[rows] == cols].sum())
        dual = int(_full_row_prices(values, u, v - shift).sum()) + int((caps * v).sum())
        gap += (dual - primal) / scale
    stats = SolverStats(grid.edges, len(rows), rnd, added, proved, gap)
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


def _top_candidates(
    grid: npt.NDArray[np.int32], k: int, prices: FloatArray
) -> tuple[IntArray, IntArray]:
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
        ok = grid[r, c] != NO_EDGE
        rows_out.append(r[ok])
        cols_out.append(c[ok])
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(cols_out).astype(np.int64)


def _violations(
    grid: npt.NDArray[np.int32], u: IntArray, v: IntArray, per_row: int
) -> tuple[IntArray, IntArray]:
    """Edges with ``W > u + v`` (exact: integers in float64), the ``per_row`` worst per row.

    ``v`` here already has the shift subtracted (``W + shift > u + v_solved``).
    """
    uf, vf = u.astype(np.float64), v.astype(np.float64)
    rows_out, cols_out, excess_out = [], [], []
    for lo in range(0, grid.shape[0], _BLOCK):
        block = grid[lo : lo + _BLOCK]
        excess = block - vf[None, :]
        excess -= uf[lo : lo + len(excess), None]
        bad = excess > 0.5
        bad &= block != NO_EDGE
        r, c = np.nonzero(bad)
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


def _full_row_prices(grid: npt.NDArray[np.int32], u: IntArray, v: IntArray) -> IntArray:
    """``u`` raised to each row's worst violation: dual feasible on every edge."""
    out = u.copy()
    vf = v.astype(np.float64)
    for lo in range(0, grid.shape[0], _BLOCK):
        block = grid[lo : lo + _BLOCK]
        reduced = np.where(block != NO_EDGE, block - vf[None, :], -np.inf)
        worst = reduced.max(axis=1)
        worst = np.where(np.isfinite(worst), worst, 0.0).astype(np.int64)
        out[lo : lo + len(worst)] = np.maximum(out[lo : lo + len(worst)], worst)
    return out
