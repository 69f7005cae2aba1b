"""Seminar rotations as a round format (adapter around ``algorithms.rotations``).

A rotation's matches are per attendee: each holds that person's seats for the whole
seminar (round, table, tablemates), which is what the notifier announces.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from services.matcher import SERVICE
from services.matcher.algorithms.model import AlgorithmError, Pair, pair
from services.matcher.algorithms.organisation import Organisation
from services.matcher.algorithms.rotations import (
    RotationPlan,
    plan_figures,
    plan_rotations,
    replan_rotations,
)
from services.matcher.domain.adjustments import Adjustment, LockMatch, RemoveMember, SwapMembers
from services.matcher.domain.errors import AdjustmentRejected
from services.matcher.domain.kinds.base import (
    Inputs,
    Progress,
    Proposal,
    ProposedMatch,
    jsonable,
    with_lock,
)
from services.matcher.domain.parameters import RotationsParameters
from shared.events import Explanation, RotationMatched, Seat
from shared.vocabulary import ProgressStep
from shared.vocabulary.codes import ReasonCode, reason

Rounds = list[list[tuple[str, ...]]]


class RotationsFormat:
    kind = "rotations"

    def propose(self, inputs: Inputs, progress: Progress) -> Proposal:
        progress(0.3, ProgressStep.SOLVING)
        return self._plan(inputs)

    def adjust(self, current: Proposal, adjustment: Adjustment, inputs: Inputs) -> Proposal:
        if isinstance(adjustment, LockMatch):
            return with_lock(current, adjustment.match_id)
        if isinstance(adjustment, RemoveMember):
            return self._plan(inputs)  # inputs.removed already holds the member
        if isinstance(adjustment, SwapMembers):
            return self._swap(current, adjustment, inputs)
        raise AdjustmentRejected("adjustment_unavailable", action=adjustment.action, kind=self.kind)

    def pairs(self, match: ProposedMatch) -> list[Pair]:
        me = match.members[0]
        return [pair(me, o) for seat in match.data["seats"] for o in seat["tablemates"]]

    def event(self, match: ProposedMatch, round_id: str) -> RotationMatched:
        return RotationMatched(
            producer=SERVICE,
            match_id=match.id,
            round_id=round_id,
            member_id=match.members[0],
            seats=tuple(Seat.model_validate(s) for s in match.data["seats"]),
        )

    def _plan(self, inputs: Inputs) -> Proposal:
        p = inputs.params
        assert isinstance(p, RotationsParameters)
        if inputs.previous:
            return self._replan(inputs, p)
        return _proposal(
            lambda: plan_rotations(
                inputs.available,
                table_size=p.table_size,
                rounds=p.rounds,
                history=inputs.history,
                forbidden=inputs.forbidden,
                max_site_share=p.max_site_share,
                seed=p.seed,
                time_limit_s=30.0,
                everyone=inputs.everyone,
            )
        )

    def _replan(self, inputs: Inputs, p: RotationsParameters) -> Proposal:
        """Keep the first ``past_rounds`` as held; re-plan the rest for who is here now."""
        held = _rounds(inputs.previous)
        if p.past_rounds > len(held):
            raise AdjustmentRejected("replan_too_few_rounds", n=len(held))
        # replan_rotations reads only the rounds and the table size of the old plan
        old = RotationPlan(held, None, p.table_size)  # type: ignore[arg-type]
        return _proposal(
            lambda: replan_rotations(
                old,
                p.past_rounds,
                inputs.available,
                history=inputs.history,
                forbidden=inputs.forbidden,
                max_site_share=p.max_site_share,
                seed=p.seed,
                time_limit_s=30.0,
                everyone=inputs.everyone,
            ),
            kept_rounds=p.past_rounds,
        )

    def _swap(self, current: Proposal, adj: SwapMembers, inputs: Inputs) -> Proposal:
        rounds = _rounds(current.matches)
        names = {m for r in rounds for t in r for m in t}
        if adj.member_a not in names or adj.member_b not in names:
            raise AdjustmentRejected("swap_outside_proposal")
        swap = {adj.member_a: adj.member_b, adj.member_b: adj.member_a}
        rounds = [[tuple(sorted(swap.get(m, m) for m in t)) for t in r] for r in rounds]
        p = inputs.params
        assert isinstance(p, RotationsParameters)
        sites = {x.id: x.site for x in inputs.everyone}
        seated = [inputs.by_id[m] for m in names if m in inputs.by_id]
        same_line = Organisation(inputs.everyone).conflict_pairs([x.id for x in seated])
        figures, _ = plan_figures(
            rounds,
            sites,
            history=inputs.history,
            forbidden=inputs.forbidden,
            same_line=same_line,
            max_site_share=p.max_site_share,
        )
        report = dict(current.report)
        report["figures"] = jsonable(figures)
        _headline(report)
        locked = {m.members[0] for m in current.matches if m.locked} | set(swap)
        matches = _matches(rounds)
        for m in matches:
            m.locked = m.members[0] in locked
        return Proposal(matches, report)


def _headline(report: dict[str, Any]) -> dict[str, Any]:
    f = report.get("figures", {})
    keys = (
        "repeated_encounters",
        "same_line_or_team_pairs",
        "forbidden_pairs_seated_together",
        "max_site_share",
        "mean_new_colleagues",
        "worst_table_score",
    )
    report["headline"] = {k: float(f[k]) for k in keys if isinstance(f.get(k), int | float)}
    return report


def _proposal(plan_it: Callable[[], RotationPlan], **extra: Any) -> Proposal:
    """Run the planner and make its proposal; an impossible plan is refused with why."""
    try:
        plan = plan_it()
    except AlgorithmError as exc:
        raise AdjustmentRejected("rotations_impossible", reason=str(exc)) from exc
    report = jsonable(plan.report)
    report.pop("tables", None)  # per-table detail is derivable from the matches
    report.update(extra)
    return Proposal(_matches(plan.rounds), _headline(report))


def _matches(rounds: Rounds) -> list[ProposedMatch]:
    seats: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r, tables in enumerate(rounds):
        for t, table in enumerate(tables):
            for m in table:
                mates = [o for o in table if o != m]
                seats[m].append({"seminar_round": r, "table": t, "tablemates": mates})
    matches = []
    for member in sorted(seats):
        met = {o for s in seats[member] for o in s["tablemates"]}
        explanation = Explanation(
            score=float(len(met)),
            terms={"new_colleagues": float(len(met))},
            reasons=(reason(ReasonCode.NEW_COLLEAGUES, len(met)),),
        )
        data = {"seats": seats[member], "explanation": explanation.model_dump(mode="json")}
        matches.append(ProposedMatch((member,), data))
    return matches


def _rounds(matches: list[ProposedMatch]) -> Rounds:
    tables: dict[tuple[int, int], set[str]] = defaultdict(set)
    for m in matches:
        for seat in m.data["seats"]:
            tables[(seat["seminar_round"], seat["table"])].add(m.members[0])
    n_rounds = 1 + max((r for r, _ in tables), default=-1)
    return [
        [tuple(sorted(tables[(r, t)])) for t in sorted(t for rr, t in tables if rr == r)]
        for r in range(n_rounds)
    ]
