"""Minimal-change repair of a published mentoring round (someone declined, left, was erased).

Every pair without a departed member is *locked*; the rest is solved again exactly by
:func:`~.matching.match_mentoring`: the mentees freed by a departed mentor and the
mentees nobody took compete for the places left (the departed mentee's place included).
No heuristic: the locks are constraints of the same exact min-cost-flow solve as the round.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from services.matcher.algorithms.mentoring.matching import (
    MentoringResult,
    Mode,
    match_mentoring,
)
from services.matcher.algorithms.mentoring.scoring import ScoreWeights
from services.matcher.algorithms.model import Pair, Person, pair

__all__ = ["MentoringRepair", "repair_mentoring"]

MentorMentee = tuple[str, str]


@dataclass(frozen=True, slots=True)
class MentoringRepair:
    """What a repair keeps, drops and adds.

    Attributes
    ----------
    result : the exact solve with the kept pairs locked (every pair of the round after it).
    kept : pairs without a departed member, unchanged.
    dropped : pairs that lost a member (they end).
    added : new pairs (a freed mentee's new mentor, or a mentee placed on a freed place).
    changed : the people whose matches changed: those left alone in a dropped pair and
        everyone in an added pair (departed people are not counted).
    """

    result: MentoringResult
    kept: tuple[MentorMentee, ...]
    dropped: tuple[MentorMentee, ...]
    added: tuple[MentorMentee, ...]
    changed: frozenset[str]


def repair_mentoring(
    people: Sequence[Person],
    current: Iterable[MentorMentee],
    departed: Collection[str],
    weights: ScoreWeights | None = None,
    *,
    history: Iterable[Pair] | nx.Graph = (),
    forbidden: Iterable[Pair] = (),
    mode: Mode = "best_total",
    min_score: float | None = None,
) -> MentoringRepair:
    """Repair a round's ``(mentor, mentee)`` pairs after ``departed`` left, changing the least.

    Objective: that of :func:`match_mentoring` (maximum total score, or most mentees then
    total score) over the pairs that are free to change, every other pair kept as it is.

    Hard constraints: the pairs without a departed member are locked (kept even if a
    profile changed since: the mentor keeps at least as many places as kept pairs); the
    departed get nothing; a new pair meets every constraint of :func:`match_mentoring`
    (opt-ins, capacities, manager line, language, ``history`` -- never a pair that already
    met -- ``forbidden``, ``min_score``) and is never a dropped pair again.

    Minimal change: only the people of the dropped pairs and of the new pairs change;
    a new pair takes a freed place (a departed mentee's) or a freed mentee, or a place
    or mentee the round had left idle.

    Complexity: one exact solve of :func:`match_mentoring` with the kept mentees' rows
    removed (the locked rows take no candidate edges).

    References
    ----------
    Schrijver, *Combinatorial Optimization*, ch. 21 (b-matching with fixed edges is a
    b-matching on the residual capacities).

    Examples
    --------
    >>> m = Person("m", "Lyon", skills={"BUDGET": 4}, mentor_capacity=1)
    >>> n = Person("n", "Nice", skills={"BUDGET": 3}, mentor_capacity=2)
    >>> a = Person("a", "Paris", skills_wanted=frozenset({"BUDGET"}), mentee=True)
    >>> b = Person("b", "Paris", skills_wanted=frozenset({"BUDGET"}), mentee=True)
    >>> r = repair_mentoring([m, n, a, b], [("m", "a"), ("n", "b")], {"m"})
    >>> r.kept, r.dropped, r.added, sorted(r.changed)
    ((('n', 'b'),), (('m', 'a'),), (('n', 'a'),), ['a', 'n'])
    """
    gone = set(departed)
    pairs = list(dict.fromkeys(current))
    kept = tuple(p for p in pairs if not gone.intersection(p))
    dropped = tuple(p for p in pairs if gone.intersection(p))
    places = Counter(mentor for mentor, _ in kept)
    mentees = {mentee for _, mentee in kept}
    ready = [_ready(p, gone, places, mentees) for p in people]
    never_again = {frozenset(f) for f in forbidden} | {pair(*p) for p in dropped if p[0] != p[1]}
    result = match_mentoring(
        ready, weights, history=history, forbidden=never_again, locked=kept,
        mode=mode, min_score=min_score,
    )  # fmt: skip
    locked = set(kept)
    added = tuple(
        (s.mentor_id, s.mentee_id) for s in result.pairs if (s.mentor_id, s.mentee_id) not in locked
    )
    alone = {m for p in dropped for m in p} - gone
    changed = frozenset(alone | {m for p in added for m in p})
    return MentoringRepair(result, kept, dropped, added, changed)


def _ready(p: Person, gone: set[str], places: Counter[str], mentees: set[str]) -> Person:
    """The person as the repair sees them: departed ones take no part; a kept pair stays
    feasible whatever changed in the profile since the round."""
    if p.id in gone:
        return dataclasses.replace(p, mentor_capacity=0, mentee=False)
    capacity = max(p.mentor_capacity, places.get(p.id, 0))
    return dataclasses.replace(p, mentor_capacity=capacity, mentee=p.mentee or p.id in mentees)
