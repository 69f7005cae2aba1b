"""Mentoring assignment: exact maximum-weight b-matching of mentees to mentors.

Two entry points:

* :func:`max_weight_b_matching` -- the reusable core over plain weights and
  capacities, checkable alone;
* :func:`match_mentoring` -- a whole round over :class:`Person` values: scores,
  hard constraints as missing edges, locked/forbidden pairs, the exact solve
  (pruned candidates proved optimal by LP pricing), reasons for every unmatched
  mentee and the quality report.

Modes: ``"best_total"`` maximises the total score; ``"max_mentees"`` first
maximises the number of matched mentees, then the total score among those
assignments (lexicographic, exact: every edge weight is raised by a constant
larger than any possible difference of totals).

Never greedy: the solve is an exact min-cost flow (OR-tools, integer costs on
the weight grid of :mod:`.solver`); the b-matching LP is integral, so
its dual prices certify the optimum (see :mod:`.pricing`).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import networkx as nx
import numpy as np
import scipy.sparse as sp

from services.matcher.algorithms.mentoring.constraints import ConstraintFilters
from services.matcher.algorithms.mentoring.pricing import (
    GRID_BITS,
    SolverStats,
    WeightGrid,
    solve_grid,
    solve_with_pricing,
)
from services.matcher.algorithms.mentoring.report import MentoringReport, quality_report
from services.matcher.algorithms.mentoring.scoring import (
    PairScore,
    ScoreWeights,
    score_blocks,
    score_matrix,
    score_pair,
)
from services.matcher.algorithms.mentoring.solver import solve_sparse, weight_scale
from services.matcher.algorithms.model import (
    AlgorithmError,
    InfeasibleError,
    Pair,
    Person,
    pair,
)

L = TypeVar("L", bound=Hashable)
R = TypeVar("R", bound=Hashable)
Mode = Literal["best_total", "max_mentees"]
MODES = ("best_total", "max_mentees")


def lexicographic_shift(w: np.ndarray, max_edges: int) -> float:
    """Constant to add to every edge so that more edges always beat more weight.

    A matching with ``a > b`` edges then outweighs one with ``b`` edges:
    ``a * (shift + min) > b * (shift + max)`` holds whenever
    ``shift > max_edges * (|max| + |min|)``.
    """
    if len(w) == 0:
        return 1.0
    spread = float(np.abs(w).max()) * 2.0
    return max_edges * spread + 1.0


def max_weight_b_matching(
    weights: Mapping[tuple[L, R], float] | sp.sparray | sp.spmatrix,
    capacities: Mapping[R, int] | Sequence[int],
    *,
    mode: Mode = "best_total",
) -> list[tuple[L, R]]:
    """Exact maximum-weight bipartite b-matching.

    Left vertices (mentees) take at most one partner, right vertex ``r`` at most
    ``capacities[r]``; any vertex may stay unmatched.

    Parameters
    ----------
    weights : ``{(left, right): weight}``, or a scipy sparse matrix whose stored
        entries are the edges (row = left index, column = right index). A
        missing edge is a hard constraint.
    capacities : right vertex -> capacity (a mapping, or a sequence indexed by
        column for a sparse matrix). Missing or <= 0 means no place.
    mode : ``"best_total"`` (maximum total weight; edges of weight <= 0 are
        never used) or ``"max_mentees"`` (maximum number of matched left
        vertices, then maximum total weight).

    Returns
    -------
    list of ``(left, right)`` pairs, sorted.

    Complexity: one min-cost flow (OR-tools cost scaling) on every edge given
    (no pruning here). Exact for weights on the grid of
    :func:`~services.matcher.algorithms.mentoring.solver.weight_scale`
    (multiples of ``1 / scale``), else within ``n / scale`` of the optimum.

    References
    ----------
    Goldberg (1997), cost-scaling min-cost flow; Schrijver, *Combinatorial
    Optimization*, ch. 21.

    Examples
    --------
    >>> w = {("ana", "zoe"): 3.0, ("bea", "zoe"): 2.0, ("bea", "yan"): 1.0, ("cid", "zoe"): 1.0}
    >>> max_weight_b_matching(w, {"zoe": 1, "yan": 1})
    [('ana', 'zoe'), ('bea', 'yan')]
    >>> max_weight_b_matching({(0, 0): 5.0, (1, 0): 1.0, (1, 1): 1.0}, {0: 1, 1: 1})
    [(0, 0), (1, 1)]
    """
    if mode not in MODES:
        raise AlgorithmError(f"unknown mode {mode!r}")
    if isinstance(weights, sp.sparray | sp.spmatrix):
        coo = sp.coo_array(weights)
        rows, cols = coo.row.astype(np.int64), coo.col.astype(np.int64)
        w = np.asarray(coo.data, dtype=np.float64)
        lefts: list = list(range(coo.shape[0]))
        rights: list = list(range(coo.shape[1]))
        caps = np.array([int(capacities[j]) for j in rights], dtype=np.int64)  # type: ignore[index]
    else:
        lefts = list(dict.fromkeys(a for a, _ in weights))
        rights = list(dict.fromkeys(b for _, b in weights))
        li = {a: k for k, a in enumerate(lefts)}
        ri = {b: k for k, b in enumerate(rights)}
        rows = np.array([li[a] for a, _ in weights], dtype=np.int64)
        cols = np.array([ri[b] for _, b in weights], dtype=np.int64)
        w = np.array(list(weights.values()), dtype=np.float64)
        if not isinstance(capacities, Mapping):
            raise AlgorithmError("with a weight mapping, capacities must map right -> int")
        cap_map = dict(capacities)
        caps = np.array([int(cap_map.get(b, 0)) for b in rights], dtype=np.int64)
    if not np.all(np.isfinite(w)):
        raise AlgorithmError("weights must be finite")
    caps = np.maximum(caps, 0)
    if mode == "best_total":
        keep = w > 0
        rows, cols, w = rows[keep], cols[keep], w[keep]
    else:
        w = w + lexicographic_shift(w, min(len(lefts), int(caps.sum())))
    mate = solve_sparse(len(lefts), rows, cols, w, caps)
    return sorted((lefts[i], rights[j]) for i, j in enumerate(mate.tolist()) if j >= 0)


@dataclass(frozen=True, slots=True)
class MentoringResult:
    """A mentoring proposal.

    Attributes
    ----------
    pairs : chosen pairs with their scores (locked pairs included), by mentee id.
    unmatched : mentee id -> reason code.
    report : quality figures.
    stats : how the exact solve went (candidates, pricing rounds, proof, gap).
    """

    pairs: list[PairScore]
    unmatched: dict[str, str]
    report: MentoringReport
    stats: SolverStats
    locked: tuple[tuple[str, str], ...] = field(default=())


def match_mentoring(
    people: Sequence[Person],
    weights: ScoreWeights | None = None,
    *,
    history: Iterable[Pair] | nx.Graph = (),
    forbidden: Iterable[Pair] = (),
    locked: Iterable[tuple[str, str]] = (),
    mode: Mode = "best_total",
    min_score: float | None = None,
    top_k: int = 30,
    max_rounds: int = 50,
    seed: int = 0,
) -> MentoringResult:
    """Propose mentoring pairs for one round, exactly optimal.

    Objective: maximum total :func:`score_pair` (mode ``"best_total"``), or
    most mentees matched then maximum total (``"max_mentees"``).

    Hard constraints (missing edges): mentee opted in (``mentee=True``);
    mentor opted in (``mentor_capacity >= 1``) and at most that many mentees;
    not the same person; not in the same manager line nor the same direct
    manager; at least one shared language; not already paired (``history``,
    pairs or an ``nx.Graph`` of who met whom, already cut to the look-back by
    the caller); not ``forbidden``; score ``>= min_score`` when given.

    ``locked`` are ``(mentor_id, mentee_id)`` pairs forced by the coordinator:
    they are in the result and use mentor capacity. They override the soft
    constraints (language, manager line, history, min_score) but not the
    opt-ins, capacities or ``forbidden`` (:class:`InfeasibleError`).

    A member may be both mentor and mentee; the model then allows A to mentor
    B while B mentors A (two distinct relations).

    ``top_k`` candidates per mentee are solved first; LP pricing then adds
    pruned edges until the optimum over ALL edges is proved, or ``max_rounds``
    solves were made: ``stats.proved_optimal`` is then False and
    ``stats.gap_bound`` bounds what was lost (a time/quality knob).

    ``seed`` is accepted for a uniform algorithm API; the result does not
    depend on it (the solver is deterministic, ties follow input order).

    Complexity: scoring and the pricing check are O(n * m) vectorised; each
    exact solve is a min-cost flow on about ``n * top_k`` edges (see
    :func:`solve_with_pricing`).

    Examples
    --------
    >>> m = Person("m", "Lyon", skills={"BUDGET": 4}, mentor_capacity=1)
    >>> a = Person("a", "Paris", skills_wanted=frozenset({"BUDGET"}), mentee=True)
    >>> b = Person("b", "Paris", languages=frozenset({"en"}), mentee=True)
    >>> r = match_mentoring([m, a, b])
    >>> [(p.mentor_id, p.mentee_id) for p in r.pairs], r.unmatched, r.stats.proved_optimal
    ([('m', 'a')], {'b': 'no_mentor_shares_language'}, True)
    """
    del seed
    if mode not in MODES:
        raise AlgorithmError(f"unknown mode {mode!r}")
    w = weights or ScoreWeights()
    mentors = [p for p in people if p.mentor_capacity >= 1]
    mentees = [p for p in people if p.mentee]
    hist = history.edges() if isinstance(history, nx.Graph) else history
    forbid = {frozenset(p) for p in forbidden}
    filters = ConstraintFilters(mentors, mentees, people, (frozenset(e) for e in hist), forbid)
    caps = np.array([p.mentor_capacity for p in mentors], dtype=np.int64)
    lock_pairs = _apply_locks(locked, mentors, mentees, forbid, caps)
    locked_rows = np.zeros(len(mentees), dtype=bool)
    locked_rows[[i for i, _ in lock_pairs]] = True
    mate, stats = _solve_round(
        mentors, mentees, w, filters, caps, locked_rows, mode, min_score, top_k, max_rounds
    )
    for i, j in lock_pairs:
        mate[i] = j
    pairs = [score_pair(mentors[j], mentees[i], w) for i, j in enumerate(mate.tolist()) if j >= 0]
    lost = [i for i, j in enumerate(mate.tolist()) if j < 0]
    lost_scores = score_matrix(mentors, [mentees[i] for i in lost], w)
    reasons = filters.reasons(
        [mentees[i].id for i in lost], _score_ok(lost_scores, mode, min_score)
    )
    report = quality_report(pairs, mentees, reasons)
    locked_ids = tuple((mentors[j].id, mentees[i].id) for i, j in lock_pairs)
    return MentoringResult(pairs, reasons, report, stats, locked_ids)


def _solve_round(
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    w: ScoreWeights,
    filters: ConstraintFilters,
    caps: np.ndarray,
    locked_rows: np.ndarray,
    mode: Mode,
    min_score: float | None,
    top_k: int,
    max_rounds: int,
) -> tuple[np.ndarray, SolverStats]:
    """Score, mask and put on the integer grid block by block, then solve with pricing.

    One pass over cache-sized row blocks instead of several passes over the
    n x m matrices; the grid scale comes from the a-priori bound
    ``w.max_total()`` on every score.
    """
    n, m = len(mentees), len(mentors)
    if n == 0 or m == 0 or top_k < 1 or max_rounds < 1:
        return solve_with_pricing(np.zeros((n, m)), caps, top_k=top_k, max_rounds=max_rounds)
    top = w.max_total()
    shift = 0.0
    if mode == "max_mentees":
        shift = lexicographic_shift(np.array([top]), min(n, int(caps.sum())))
    scale = min(weight_scale(top + shift, n + m + 1), weight_scale(top, bits=GRID_BITS))
    grid = WeightGrid((n, m), scale, shift)
    mask = np.empty((min(n, _BLOCK), m), dtype=bool)
    for lo, block in score_blocks(mentors, mentees, w, _BLOCK):
        ok = filters.feasible_rows(lo, lo + len(block), out=mask[: len(block)])
        ok &= _score_ok(block, mode, min_score)
        ok[locked_rows[lo : lo + len(block)]] = False
        grid.set_rows(lo, block, ok)
    return solve_grid(grid, caps, top_k=top_k, max_rounds=max_rounds)


_BLOCK = 64


def _score_ok(scores: np.ndarray, mode: Mode, min_score: float | None) -> np.ndarray:
    """Edges passing the score threshold (``> 0`` too in mode best_total)."""
    ok = scores > 0 if mode == "best_total" else np.ones(scores.shape, dtype=bool)
    if min_score is not None:
        ok &= scores >= min_score
    return ok


def _apply_locks(
    locked: Iterable[tuple[str, str]],
    mentors: Sequence[Person],
    mentees: Sequence[Person],
    forbidden: set[Pair],
    caps: np.ndarray,
) -> list[tuple[int, int]]:
    """Validate locked pairs, take their places from ``caps`` (in place)."""
    col = {p.id: j for j, p in enumerate(mentors)}
    row = {p.id: i for i, p in enumerate(mentees)}
    out: list[tuple[int, int]] = []
    seen: set[str] = set()
    for mentor_id, mentee_id in locked:
        if mentor_id not in col or mentee_id not in row:
            raise InfeasibleError(f"locked pair ({mentor_id}, {mentee_id}): both must opt in")
        if mentor_id == mentee_id or pair(mentor_id, mentee_id) in forbidden:
            raise InfeasibleError(f"locked pair ({mentor_id}, {mentee_id}) is not allowed")
        if mentee_id in seen:
            raise InfeasibleError(f"mentee {mentee_id} is locked twice")
        seen.add(mentee_id)
        j = col[mentor_id]
        if caps[j] <= 0:
            raise InfeasibleError(f"mentor {mentor_id} has more locked pairs than places")
        caps[j] -= 1
        out.append((row[mentee_id], j))
    return out
