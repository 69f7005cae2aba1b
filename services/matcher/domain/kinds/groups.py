"""Practice-exchange groups as a round format (adapter around ``algorithms.groups``)."""

from __future__ import annotations

import dataclasses
from typing import Any

from services.matcher import SERVICE
from services.matcher.algorithms.groups import Group, GroupWeights, assess_groups, form_groups
from services.matcher.algorithms.model import AlgorithmError, Pair
from services.matcher.algorithms.organisation import Organisation
from services.matcher.domain.adjustments import Adjustment, LockMatch, RemoveMember, SwapMembers
from services.matcher.domain.errors import AdjustmentRejected
from services.matcher.domain.kinds.base import (
    Inputs,
    Progress,
    Proposal,
    ProposedMatch,
    all_pairs,
    jsonable,
    with_lock,
)
from services.matcher.domain.parameters import GroupsParameters
from shared.events import Explanation, GroupMatched
from shared.vocabulary import ProgressStep, ReasonCode
from shared.vocabulary.codes import reason


class GroupsFormat:
    kind = "groups"

    def propose(self, inputs: Inputs, progress: Progress) -> Proposal:
        progress(0.3, ProgressStep.SOLVING)
        return self._form(inputs, locked=[])

    def adjust(self, current: Proposal, adjustment: Adjustment, inputs: Inputs) -> Proposal:
        if isinstance(adjustment, LockMatch):
            return with_lock(current, adjustment.match_id)
        if isinstance(adjustment, RemoveMember):
            locked = [m for m in current.matches if m.locked]
            if any(adjustment.member_id in m.members for m in locked):
                raise AdjustmentRejected("member_in_locked_group", member_id=adjustment.member_id)
            return self._form(inputs, locked)
        if isinstance(adjustment, SwapMembers):
            return self._swap(current, adjustment, inputs)
        raise AdjustmentRejected("adjustment_unavailable", action=adjustment.action, kind=self.kind)

    def pairs(self, match: ProposedMatch) -> list[Pair]:
        return all_pairs(match.members)

    def event(self, match: ProposedMatch, round_id: str) -> GroupMatched:
        return GroupMatched(
            producer=SERVICE,
            match_id=match.id,
            round_id=round_id,
            members=match.members,
            facilitator_id=match.data.get("facilitator_id"),
            theme=match.data.get("theme", ""),
            explanation=Explanation.model_validate(match.data.get("explanation", {})),
        )

    def _form(self, inputs: Inputs, locked: list[ProposedMatch]) -> Proposal:
        p = inputs.params
        assert isinstance(p, GroupsParameters)
        fixed = {m for match in locked for m in match.members}
        chosen = {x.id for x in inputs.available} - fixed
        # Everyone is passed so manager lines are followed through people outside the round.
        people = [
            x if x.id in chosen else dataclasses.replace(x, groups=False) for x in inputs.everyone
        ]
        try:
            result = form_groups(
                people,
                min_size=p.min_size,
                max_size=p.max_size,
                target_size=p.target_size,
                weights=GroupWeights(**p.weights.model_dump()),
                history=inputs.history,
                forbidden=inputs.forbidden,
                seed=p.seed,
            )
        except AlgorithmError as exc:
            raise AdjustmentRejected("groups_impossible", reason=str(exc)) from exc
        matches = [*locked, *(_match(g) for g in result.groups)]
        report = jsonable(result.report)
        if locked:
            report["quality"] = jsonable(_assess(matches, inputs))
        return Proposal(matches, _annotate(report, matches, inputs))

    def _swap(self, current: Proposal, adj: SwapMembers, inputs: Inputs) -> Proposal:
        where = {m: i for i, match in enumerate(current.matches) for m in match.members}
        if adj.member_a not in where or adj.member_b not in where:
            raise AdjustmentRejected("swap_outside_proposal")
        ia, ib = where[adj.member_a], where[adj.member_b]
        if ia == ib:
            raise AdjustmentRejected("swap_same_group")
        matches = list(current.matches)
        for i, out, into in ((ia, adj.member_a, adj.member_b), (ib, adj.member_b, adj.member_a)):
            old = matches[i]
            members = tuple(sorted(into if m == out else m for m in old.members))
            data = dict(old.data)
            if data.get("facilitator_id") == out:
                if not inputs.by_id[into].facilitator:
                    raise AdjustmentRejected("swap_facilitator_needed", out=out, into=into)
                data["facilitator_id"] = into
            matches[i] = ProposedMatch(members, data, locked=True, id=old.id)
        _check(matches[ia], inputs)
        _check(matches[ib], inputs)
        report = dict(current.report)
        report["quality"] = jsonable(_assess(matches, inputs))
        return Proposal(matches, _annotate(report, matches, inputs))


def _match(group: Group) -> ProposedMatch:
    return ProposedMatch(
        group.members,
        {
            "facilitator_id": group.facilitator,
            "theme": group.theme,
            "sites": list(group.sites),
        },
    )


def _assess(matches: list[ProposedMatch], inputs: Inputs) -> Any:
    groups = [
        Group(
            m.members,
            m.data.get("facilitator_id"),
            m.data.get("theme", ""),
            tuple(m.data.get("sites", ())),
        )
        for m in matches
    ]
    return assess_groups(inputs.everyone, groups, inputs.history, inputs.forbidden)


def _annotate(
    report: dict[str, Any], matches: list[ProposedMatch], inputs: Inputs
) -> dict[str, Any]:
    """Per-group explanation from the quality figures (cohesion, sites, score)."""
    q = report.get("quality", {})
    keys = (
        "cohesion_mean",
        "sites_per_group",
        "sites_upper_bound",
        "seniority_range",
        "facilitator_coverage",
        "worst_group_score",
    )
    report["headline"] = {k: float(q[k]) for k in keys if isinstance(q.get(k), int | float)}
    by_id = inputs.by_id
    for i, m in enumerate(matches):
        sites = sorted({by_id[x].site for x in m.members if x in by_id})
        m.data["sites"] = sites
        cohesion = _at(q.get("cohesion"), i)
        score = _at(q.get("scores"), i)
        m.data["explanation"] = Explanation(
            score=round(score, 4),
            terms={"cohesion": round(cohesion, 4), "sites": float(len(sites))},
            reasons=(
                *(reason(ReasonCode.THEME, t) for t in theme_codes(m.data.get("theme", ""))),
                reason(ReasonCode.SITES, len(sites)),
            ),
        ).model_dump(mode="json")
    return report


def theme_codes(theme: str) -> list[str]:
    """The theme codes of a group's theme (``"relation_client / budget"``), one reason each.

    >>> theme_codes("relation_client / budget"), theme_codes("")
    (['relation_client', 'budget'], [])
    """
    return [t.strip() for t in theme.split("/") if t.strip()]


def _at(values: Any, i: int) -> float:
    try:
        return float(values[i])
    except (TypeError, IndexError):
        return 0.0


def _check(match: ProposedMatch, inputs: Inputs) -> None:
    org = Organisation(inputs.everyone)
    for pair in all_pairs(match.members):
        a, b = sorted(pair)
        if pair in inputs.history:
            raise AdjustmentRejected("swap_already_met", a=a, b=b)
        if pair in inputs.forbidden:
            raise AdjustmentRejected("swap_forbidden_pair", a=a, b=b)
        if org.conflict(a, b):
            raise AdjustmentRejected("swap_same_manager_line", a=a, b=b)
