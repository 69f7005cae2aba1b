"""Mentoring as a round format (adapter around ``algorithms.mentoring``).

Adjustments keep the exactness: the coordinator's choices become locked pairs or
removed members and the rest is solved again exactly; a forced pair is first checked
against the hard constraints (an adjustment that breaks one is refused).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from services.matcher import SERVICE
from services.matcher.algorithms.mentoring import (
    ConstraintFilters,
    MentoringResult,
    PairScore,
    ScoreWeights,
    match_mentoring,
)
from services.matcher.algorithms.model import AlgorithmError, Pair, pair
from services.matcher.domain.adjustments import (
    Adjustment,
    AssignMentee,
    LockMatch,
    RemoveMember,
    SwapMembers,
)
from services.matcher.domain.errors import AdjustmentRejected
from services.matcher.domain.kinds.base import (
    Inputs,
    Progress,
    Proposal,
    ProposedMatch,
    jsonable,
    with_lock,
)
from services.matcher.domain.parameters import MentoringParameters
from shared.events import Explanation, MentoringPairMatched
from shared.vocabulary import ProgressStep, ReasonCode, UnmatchedReason
from shared.vocabulary.codes import reason

# Constraints whose refusal has its own message (``pair_refused.<code>``).
REFUSED = frozenset(
    {
        UnmatchedReason.NO_MENTOR,
        UnmatchedReason.MANAGER_LINE,
        UnmatchedReason.LANGUAGE,
        UnmatchedReason.HISTORY,
        UnmatchedReason.FORBIDDEN,
    }
)
TERM_REASONS = (ReasonCode.CROSS_SITE, ReasonCode.NEWCOMER, ReasonCode.SENIORITY)


class MentoringFormat:
    kind = "mentoring"

    def propose(self, inputs: Inputs, progress: Progress) -> Proposal:
        progress(0.3, ProgressStep.SOLVING)
        return self._solve(inputs, locked=[])

    def adjust(self, current: Proposal, adjustment: Adjustment, inputs: Inputs) -> Proposal:
        locked = [(m.members[0], m.members[1]) for m in current.matches if m.locked]
        if isinstance(adjustment, LockMatch):
            return with_lock(current, adjustment.match_id)
        if isinstance(adjustment, RemoveMember):
            return self._solve(inputs, [p for p in locked if adjustment.member_id not in p])
        if isinstance(adjustment, AssignMentee):
            forced = [(adjustment.mentor_id, adjustment.mentee_id)]
        elif isinstance(adjustment, SwapMembers):
            forced = _swapped(current, adjustment.member_a, adjustment.member_b)
        else:
            raise AdjustmentRejected(
                "adjustment_unavailable", action=adjustment.action, kind=self.kind
            )
        for mentor, mentee in forced:
            _check(mentor, mentee, inputs)
        moved = {mentee for _, mentee in forced}
        kept = [p for p in locked if p[1] not in moved]
        return self._solve(inputs, [*kept, *forced])

    def pairs(self, match: ProposedMatch) -> list[Pair]:
        return [pair(*match.members)]

    def event(self, match: ProposedMatch, round_id: str) -> MentoringPairMatched:
        return MentoringPairMatched(
            producer=SERVICE,
            match_id=match.id,
            round_id=round_id,
            mentor_id=match.members[0],
            mentee_id=match.members[1],
            explanation=Explanation.model_validate(match.data["explanation"]),
        )

    def _solve(self, inputs: Inputs, locked: list[tuple[str, str]]) -> Proposal:
        p = inputs.params
        assert isinstance(p, MentoringParameters)
        chosen = {x.id for x in inputs.available}
        # Everyone is passed so manager lines are followed outside the round's scope.
        people = [
            x if x.id in chosen else dataclasses.replace(x, mentor_capacity=0, mentee=False)
            for x in inputs.everyone
        ]
        try:
            result = match_mentoring(
                people,
                ScoreWeights(**p.weights.model_dump()),
                history=inputs.history,
                forbidden=inputs.forbidden,
                locked=locked,
                mode=p.mode,
                min_score=p.min_score,
                seed=p.seed,
            )
        except AlgorithmError as exc:
            raise AdjustmentRejected("mentoring_impossible", reason=str(exc)) from exc
        forced = set(locked)
        matches = [_match(s, (s.mentor_id, s.mentee_id) in forced) for s in result.pairs]
        return Proposal(matches, solution_report(result))


def solution_report(result: MentoringResult) -> dict[str, Any]:
    """The report of a solve: quality figures, how the solver went, the headline."""
    report: dict[str, Any] = jsonable(result.report)
    report["solver"] = jsonable(result.stats)
    report["headline"] = {
        "total_score": result.report.total_score,
        "share_matched": result.report.share_matched,
        "share_cross_site": result.report.share_cross_site,
        "proved_optimal": float(result.stats.proved_optimal),
    }
    return report


def _match(score: PairScore, locked: bool) -> ProposedMatch:
    reasons = (
        *(reason(ReasonCode.SKILLS, c) for c in score.taught_skills),
        *(reason(ReasonCode.THEMES, c) for c in score.shared_themes),
        *(reason(k) for k in TERM_REASONS if score.terms.get(k, 0) > 0),
    )
    explanation = Explanation(score=round(score.total, 6), terms=score.terms, reasons=reasons)
    data = {
        "mentor_id": score.mentor_id,
        "mentee_id": score.mentee_id,
        "explanation": explanation.model_dump(mode="json"),
    }
    return ProposedMatch((score.mentor_id, score.mentee_id), data, locked)


def _swapped(current: Proposal, a: str, b: str) -> list[tuple[str, str]]:
    """Two mentees exchange mentors, or two mentors exchange their mentees."""
    mentor_of = {m.members[1]: m.members[0] for m in current.matches}
    if a in mentor_of and b in mentor_of:
        return [(mentor_of[b], a), (mentor_of[a], b)]
    mentees_of: dict[str, list[str]] = {}
    for m in current.matches:
        mentees_of.setdefault(m.members[0], []).append(m.members[1])
    if a in mentees_of and b in mentees_of:
        return [(b, e) for e in mentees_of[a]] + [(a, e) for e in mentees_of[b]]
    raise AdjustmentRejected("swap_mentoring_roles")


def _check(mentor_id: str, mentee_id: str, inputs: Inputs) -> None:
    """Refuse a forced pair that breaks a hard constraint (the message names which)."""
    by_id = {x.id: x for x in inputs.available}
    mentor, mentee = by_id.get(mentor_id), by_id.get(mentee_id)
    if mentor is None or mentee is None or not mentee.mentee or mentor.mentor_capacity < 1:
        raise AdjustmentRejected("assign_not_volunteers", mentor_id=mentor_id, mentee_id=mentee_id)
    filters = ConstraintFilters(
        [mentor], [mentee], inputs.everyone, inputs.history, inputs.forbidden
    )
    for code, keep in filters.stages(np.array([0])):
        if not keep[0, 0]:
            message = f"pair_refused.{code}" if code in REFUSED else "pair_refused"
            raise AdjustmentRejected(
                message, mentor_id=mentor_id, mentee_id=mentee_id, constraint=code
            )
