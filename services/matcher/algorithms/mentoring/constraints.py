"""Hard constraints of mentoring as missing edges, and why a mentee was left out.

A (mentee, mentor) edge exists only if every filter below keeps it. The same
ordered filters explain an unmatched mentee: the reason code is the FIRST filter
that leaves the mentee with no mentor at all; if some compatible mentor survives
every filter, the mentee lost to others (:data:`FULL`).

Reason codes (machine-readable, stable):

``no_mentor_opted_in``
    no member other than the mentee offers mentoring capacity in this round.
``same_manager_line``
    every mentor is above or below the mentee in the management line (through
    managers outside the network too), has the same direct manager, or is in the
    same team (:class:`~..organisation.Organisation`).
``no_mentor_shares_language``
    no remaining mentor speaks a language the mentee speaks.
``already_paired_with_all``
    the mentee was already paired (within the look-back) with every remaining mentor.
``forbidden_with_all``
    the coordinator forbade every remaining pair.
``no_candidate_above_min_score``
    every remaining pair scores below ``min_score`` (in mode ``best_total``,
    also pairs scoring <= 0, which never improve the total).
``all_compatible_mentors_full``
    compatible mentors exist but the optimum gives all their places to others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from services.matcher.algorithms.model import Pair, Person
from services.matcher.algorithms.organisation import Organisation
from shared.vocabulary.codes import UnmatchedReason

BoolMatrix = npt.NDArray[np.bool_]

# The reason codes come from the one vocabulary (plain strings at run time).
NO_MENTOR = UnmatchedReason.NO_MENTOR.value
MANAGER_LINE = UnmatchedReason.MANAGER_LINE.value
LANGUAGE = UnmatchedReason.LANGUAGE.value
HISTORY = UnmatchedReason.HISTORY.value
FORBIDDEN = UnmatchedReason.FORBIDDEN.value
MIN_SCORE = UnmatchedReason.MIN_SCORE.value
FULL = UnmatchedReason.FULL.value
REASONS = (NO_MENTOR, MANAGER_LINE, LANGUAGE, HISTORY, FORBIDDEN, MIN_SCORE, FULL)


class ConstraintFilters:
    """The ordered hard-constraint filters for one round (built once, O(n + m)).

    Parameters
    ----------
    mentors, mentees : the two sides (a member may be on both).
    people : everyone known, used for the organisation graph.
    history : pairs already formed within the look-back.
    forbidden : pairs the coordinator forbids.
    """

    def __init__(
        self,
        mentors: Sequence[Person],
        mentees: Sequence[Person],
        people: Iterable[Person],
        history: Iterable[Pair] = (),
        forbidden: Iterable[Pair] = (),
    ) -> None:
        self.mentors, self.mentees = mentors, mentees
        self._col = {p.id: j for j, p in enumerate(mentors)}
        self._row = {p.id: i for i, p in enumerate(mentees)}
        ids = {p.id for p in (*mentors, *mentees)}
        line = [tuple(p) for p in Organisation(people).conflict_pairs(ids)]
        self._self = self._pairs((a, a) for a in self._row)
        self._line = self._pairs(line)
        self._history = self._pairs(tuple(p) for p in history if len(p) == 2)
        self._forbidden = self._pairs(tuple(p) for p in forbidden if len(p) == 2)
        langs = sorted({x for p in (*mentors, *mentees) for x in p.languages})
        self._lang_m = _incidence([p.languages for p in mentors], langs)
        self._lang_e = _incidence([p.languages for p in mentees], langs)
        self._lang_m_t = np.ascontiguousarray(self._lang_m.T)
        pairs = (self._self, self._line, self._history, self._forbidden)
        banned_r = np.array([r for rows, _ in pairs for r in rows], dtype=np.int64)
        banned_c = np.array([c for _, cols in pairs for c in cols], dtype=np.int64)
        order = np.argsort(banned_r, kind="stable")
        self._banned_rows, self._banned_cols = banned_r[order], banned_c[order]

    def _pairs(self, pairs: Iterable[tuple[str, ...]]) -> tuple[list[int], list[int]]:
        """(row, col) indices of the given pairs, in both orientations."""
        rows, cols = [], []
        for a, b in pairs:
            for e, m in ((a, b), (b, a)):
                if e in self._row and m in self._col:
                    rows.append(self._row[e])
                    cols.append(self._col[m])
        return rows, cols

    def stages(self, rows: npt.NDArray[np.int64]) -> list[tuple[str, BoolMatrix]]:
        """Per filter, which (mentee ``rows``) x (all mentors) edges it keeps."""
        shape = (len(rows), len(self.mentors))
        pos = {int(r): k for k, r in enumerate(rows)}
        speak = (self._lang_e[rows] @ self._lang_m.T) > 0
        return [
            (NO_MENTOR, ~_mark(shape, pos, self._self)),
            (MANAGER_LINE, ~_mark(shape, pos, self._line)),
            (LANGUAGE, speak),
            (HISTORY, ~_mark(shape, pos, self._history)),
            (FORBIDDEN, ~_mark(shape, pos, self._forbidden)),
        ]

    def feasible(self) -> BoolMatrix:
        """Edges kept by every filter, for all mentees (n x m booleans).

        Same result as AND-ing :meth:`stages`, computed by row blocks
        (:meth:`feasible_rows`) to avoid several n x m temporaries.
        """
        keep = np.empty((len(self.mentees), len(self.mentors)), dtype=bool)
        for lo in range(0, len(self.mentees), 512):
            self.feasible_rows(lo, min(lo + 512, len(self.mentees)), out=keep[lo : lo + 512])
        return keep

    def feasible_rows(self, lo: int, hi: int, out: BoolMatrix | None = None) -> BoolMatrix:
        """Rows ``lo:hi`` of :meth:`feasible` (written into ``out`` if given)."""
        if out is None:
            out = np.empty((hi - lo, len(self.mentors)), dtype=bool)
        np.greater(self._lang_e[lo:hi] @ self._lang_m_t, 0, out=out)
        a, b = np.searchsorted(self._banned_rows, (lo, hi))
        out[self._banned_rows[a:b] - lo, self._banned_cols[a:b]] = False
        return out

    def reasons(
        self,
        unmatched: Sequence[str],
        scores_ok: BoolMatrix,
    ) -> dict[str, str]:
        """Reason code for each unmatched mentee id.

        ``scores_ok[k]`` says which mentors pass the score threshold for
        ``unmatched[k]`` (row-aligned with ``unmatched``).
        """
        rows = np.array([self._row[x] for x in unmatched], dtype=np.int64)
        alive = np.ones((len(rows), len(self.mentors)), dtype=bool)
        reason = np.full(len(rows), "", dtype=object)
        for code, mask in [*self.stages(rows), (MIN_SCORE, scores_ok)]:
            alive &= mask
            newly = (reason == "") & ~alive.any(axis=1)
            reason[newly] = code
        reason[reason == ""] = FULL
        return {x: str(r) for x, r in zip(unmatched, reason, strict=True)}


def _mark(
    shape: tuple[int, int], pos: Mapping[int, int], pairs: tuple[list[int], list[int]]
) -> BoolMatrix:
    out = np.zeros(shape, dtype=bool)
    for r, c in zip(*pairs, strict=True):
        k = pos.get(r)
        if k is not None:
            out[k, c] = True
    return out


def _incidence(sets: Sequence[frozenset[str]], vocab: Sequence[str]) -> npt.NDArray[np.float32]:
    index = {x: k for k, x in enumerate(vocab)}
    out = np.zeros((len(sets), len(vocab)), dtype=np.float32)
    for r, s in enumerate(sets):
        for x in s:
            out[r, index[x]] = 1.0
    return out
