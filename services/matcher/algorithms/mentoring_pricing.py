"""Prove a pruned b-matching optimal for the full graph (column generation).

Solving the whole dense graph exactly is slow (10,000 x 5,000 edges); keeping
only the ``top_k`` best mentors of each mentee is fast but may lose a little.
:func:`solve_with_pricing` gets both: it solves the pruned problem exactly,
computes LP dual prices ``u, v`` for it (:func:`dual_certificate`), and checks
every pruned edge: if ``w[i, j] <= u[i] + v[j]`` everywhere, the prices are
feasible for the full LP, so by weak duality the pruned optimum IS the full
optimum (the b-matching LP is integral: the bipartite incidence matrix is
totally unimodular). Otherwise the violating edges are added and the pruned
problem re-solved. Every round either proves optimality or strictly grows the
candidate set, so it terminates; ``max_rounds`` bounds the work and the result
then carries the duality gap bound instead of a proof.

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
    solve_sparse,
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
    proved_optimal : the dual check passed on every edge of the full graph.
    gap_bound : upper bound of (full optimum - returned total) in the solved
        weights; 0.0 when proved (up to float tolerance).
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
        per round (the most violated first); adding all of them at once makes
        the next sparse solve much bigger without fewer rounds.

    Returns
    -------
    mate : (n,) chosen mentor column per mentee, -1 if unmatched.
    stats : :class:`SolverStats`.

    Complexity: the dense pricing pass is O(n * m) per round; each solve is a
    sparse LAPJVsp on about ``n * top_k * cap`` entries.

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
    floor = -np.inf if shift > 0 else 0.0
    if n == 0 or m == 0:
        return np.full(n, -1, dtype=np.int64), SolverStats(0, 0, 0, 0, True, 0.0)
    rows, cols = _top_candidates(weights, min(top_k, m), floor, _column_means(weights, floor))
    edges = int(np.count_nonzero(weights > floor))
    scale = max(1.0, float(np.abs(weights[rows, cols]).max(initial=0.0)) + shift)
    eps = 1e-10 * scale
    added = 0
    for rnd in range(1, max_rounds + 1):
        w = weights[rows, cols] + shift
        mate = solve_sparse(n, rows, cols, w, caps)
        u, v = dual_certificate(n, m, rows, cols, w, caps, mate)
        new_rows, new_cols, u_full = _violations(weights, u, v, shift, eps, floor, add_per_row)
        keys = rows * m + cols
        new_keys = np.setdiff1d(new_rows * m + new_cols, keys)
        if len(new_keys) == 0 or rnd == max_rounds:
            break
        added += len(new_keys)
        rows = np.concatenate((rows, new_keys // m))
        cols = np.concatenate((cols, new_keys % m))
    primal = float(w[mate[rows] == cols].sum())
    dual = float(u_full.sum() + (caps * v).sum())
    proved = len(new_keys) == 0
    stats = SolverStats(edges, len(rows), rnd, added, proved, 0.0 if proved else dual - primal)
    return mate, stats


def _column_means(weights: FloatArray, floor: float) -> FloatArray:
    """Mean weight of the present edges of each column (0 for an empty column)."""
    total = np.zeros(weights.shape[1])
    count = np.zeros(weights.shape[1])
    for lo in range(0, weights.shape[0], _BLOCK):
        block = weights[lo : lo + _BLOCK]
        present = block > floor
        total += np.where(present, block, 0.0).sum(axis=0)
        count += present.sum(axis=0)
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def _top_candidates(
    weights: FloatArray, k: int, floor: float, prices: FloatArray
) -> tuple[IntArray, IntArray]:
    """The k best present edges of each row by ``weight - prices[col]``.

    A rough price (the column mean) removes the part of the score every mentee
    gives the same mentor (popular, senior, multi-skilled mentors): ranking by
    raw score would send every mentee's candidates to the same few mentors,
    and the pruned optimum would be far from the full one.
    """
    rows_out, cols_out = [], []
    n, m = weights.shape
    for lo in range(0, n, _BLOCK):
        block = weights[lo : lo + _BLOCK]
        if k < m:
            idx = np.argpartition(prices[None, :] - block, k - 1, axis=1)[:, :k]
        else:
            idx = np.broadcast_to(np.arange(m), block.shape)
        r = np.repeat(np.arange(lo, lo + len(block)), idx.shape[1])
        c = idx.reshape(-1)
        ok = weights[r, c] > floor
        rows_out.append(r[ok])
        cols_out.append(c[ok])
    rows = np.concatenate(rows_out) if rows_out else np.zeros(0, np.int64)
    cols = np.concatenate(cols_out) if cols_out else np.zeros(0, np.int64)
    return rows.astype(np.int64), cols.astype(np.int64)


def _best_positive(excess: FloatArray, per_row: int) -> tuple[IntArray, IntArray]:
    """Up to ``per_row`` entries of each row with the largest positive excess."""
    if per_row >= excess.shape[1]:
        r, c = np.nonzero(excess > 0)
        return r.astype(np.int64), c.astype(np.int64)
    idx = np.argpartition(-excess, per_row - 1, axis=1)[:, :per_row]
    r = np.repeat(np.arange(len(excess)), per_row)
    c = idx.reshape(-1)
    ok = excess[r, c] > 0
    return r[ok], c[ok]


def _violations(
    weights: FloatArray,
    u: FloatArray,
    v: FloatArray,
    shift: float,
    eps: float,
    floor: float,
    per_row: int,
) -> tuple[IntArray, IntArray, FloatArray]:
    """Edges with ``w + shift > u + v`` and prices ``u_full`` feasible everywhere."""
    rows_out, cols_out = [], []
    u_full = u.copy()
    for lo in range(0, weights.shape[0], _BLOCK):
        block = weights[lo : lo + _BLOCK]
        # Slack-free dual for the gap bound: raise u[i] to its worst violation.
        reduced = block + (shift - v)[None, :]
        reduced[~(block > floor)] = -np.inf
        u_full[lo : lo + len(block)] = np.maximum(u[lo : lo + len(block)], reduced.max(axis=1))
        excess = reduced - (u[lo : lo + len(block), None] + eps)
        r, c = _best_positive(excess, per_row)
        rows_out.append(r + lo)
        cols_out.append(c)
    return np.concatenate(rows_out), np.concatenate(cols_out), np.maximum(u_full, 0.0)
