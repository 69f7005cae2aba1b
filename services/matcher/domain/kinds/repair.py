"""Repairing a published round after departures, per kind (pure glue around the algorithms).

Each function returns a :class:`Repair`: every match of the round after the repair (the
unchanged ones are the very same :class:`ProposedMatch` values, ids included), which new
matches replace which old ones, the matches that end, and the people whose match changed.
An erased member's tombstone (:data:`ERASED`) always counts as departed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from services.matcher.algorithms.groups import Group, repair_groups
from services.matcher.algorithms.mentoring import ScoreWeights, repair_mentoring
from services.matcher.algorithms.model import AlgorithmError, Pair
from services.matcher.algorithms.organisation import Organisation
from services.matcher.algorithms.rotations import plan_figures, repair_rotations
from services.matcher.domain.erasure import ERASED
from services.matcher.domain.errors import AdjustmentRejected
from services.matcher.domain.kinds import groups as groups_kind
from services.matcher.domain.kinds import mentoring as mentoring_kind
from services.matcher.domain.kinds import rotations as rotations_kind
from services.matcher.domain.kinds.base import Inputs, Proposal, ProposedMatch, jsonable
from services.matcher.domain.parameters import (
    GroupsParameters,
    MentoringParameters,
    RotationsParameters,
)


@dataclass
class Repair:
    """What a repair changes in a published proposal.

    ``replaces`` maps the index (in ``matches``) of each new match to the ids of the old
    matches it replaces (empty for someone newly placed); ``superseded`` are the old
    matches that end; ``changed`` the people whose match changed (departed excluded).
    """

    matches: list[ProposedMatch]
    replaces: dict[int, tuple[str, ...]]
    superseded: list[ProposedMatch]
    changed: set[str]
    report: dict[str, Any]
    notes: dict[str, Any] = field(default_factory=dict)


def repair(
    kind: str, current: Proposal, departed: set[str], inputs: Inputs, held: int, earlier: set[Pair]
) -> Repair:
    """Repair ``current`` (a published round of ``kind``) after ``departed`` left.

    ``inputs.history`` holds every pair that met, this round's included; ``earlier`` only
    those of other rounds; ``held`` is the number of rotations already held (rotations).
    """
    gone = set(departed) | {ERASED}
    try:
        if kind == "mentoring":
            return _mentoring(current, gone, inputs)
        if kind == "groups":
            return _groups(current, gone, inputs, earlier)
        return _rotations(current, gone, inputs, held, earlier)
    except AlgorithmError as exc:
        raise AdjustmentRejected("repair_impossible", reason=str(exc)) from exc


def _mentoring(current: Proposal, gone: set[str], inputs: Inputs) -> Repair:
    p = inputs.params
    assert isinstance(p, MentoringParameters)
    chosen = {x.id for x in inputs.available}
    people = [
        x if x.id in chosen else dataclasses.replace(x, mentor_capacity=0, mentee=False)
        for x in inputs.everyone
    ]
    pairs = [(m.members[0], m.members[1]) for m in current.matches]
    r = repair_mentoring(
        people, pairs, gone, ScoreWeights(**p.weights.model_dump()), history=inputs.history,
        forbidden=inputs.forbidden, mode=p.mode, min_score=p.min_score,
    )  # fmt: skip
    by_pair = {(m.members[0], m.members[1]): m for m in current.matches}
    ended = [by_pair[d] for d in r.dropped]
    scores = {(s.mentor_id, s.mentee_id): s for s in r.result.pairs}
    matches = [by_pair[k] for k in r.kept]
    replaces: dict[int, tuple[str, ...]] = {}
    for added in r.added:
        replaces[len(matches)] = tuple(m.id for m in ended if set(m.members) & set(added))
        matches.append(mentoring_kind._match(scores[added], False))
    report = mentoring_kind.solution_report(r.result)
    return Repair(matches, replaces, ended, set(r.changed), report)


def _groups(current: Proposal, gone: set[str], inputs: Inputs, earlier: set[Pair]) -> Repair:
    p = inputs.params
    assert isinstance(p, GroupsParameters)
    old = [
        Group(m.members, m.data.get("facilitator_id"), m.data.get("theme", ""),
              tuple(m.data.get("sites", ())))
        for m in current.matches
    ]  # fmt: skip
    placed = {x for m in current.matches for x in m.members}
    waiting = sorted(x.id for x in inputs.available if x.id not in placed | gone)
    r = repair_groups(
        inputs.everyone, old, gone, waiting=waiting, min_size=p.min_size, max_size=p.max_size,
        history=inputs.history, forbidden=inputs.forbidden,
    )  # fmt: skip
    index = {g.members: k for k, g in enumerate(old)}
    matches: list[ProposedMatch] = []
    replaces: dict[int, tuple[str, ...]] = {}
    for i, g in enumerate(r.groups):
        if i in r.replaces:
            replaces[i] = tuple(current.matches[k].id for k in r.replaces[i])
            matches.append(groups_kind._match(g))
        else:
            matches.append(current.matches[index[g.members]])
    ended_ids = {k for ks in r.replaces.values() for k in ks} | set(r.removed)
    ended = [current.matches[k] for k in sorted(ended_ids)]
    report = dict(current.report)
    report["quality"] = jsonable(groups_kind._assess(matches, _with(inputs, earlier)))
    # the explanation of every new group from the new figures; kept groups keep theirs
    copies = [m if i in replaces else dataclasses.replace(m, data=dict(m.data))
              for i, m in enumerate(matches)]  # fmt: skip
    report = groups_kind._annotate(report, copies, inputs)
    notes = {"placed": list(r.placed), "notes": list(r.notes)}
    return Repair(matches, replaces, ended, set(r.changed), report, notes)


def _rotations(
    current: Proposal, gone: set[str], inputs: Inputs, held: int, earlier: set[Pair]
) -> Repair:
    p = inputs.params
    assert isinstance(p, RotationsParameters)
    rounds = rotations_kind._rounds(current.matches)
    if held > len(rounds):
        raise AdjustmentRejected("replan_too_few_rounds", n=len(rounds))
    by_id = inputs.by_id
    seated = sorted({m for tables in rounds for t in tables for m in t})
    gone = gone | {m for m in seated if m not in by_id}
    r = repair_rotations(
        rounds, held, gone, [by_id[m] for m in seated if m in by_id], table_size=p.table_size,
        history=earlier, forbidden=inputs.forbidden, max_site_share=p.max_site_share,
        seed=p.seed, time_limit_s=30.0,
    )  # fmt: skip
    fresh = {m.members[0]: m for m in rotations_kind._matches(r.rounds)}
    matches: list[ProposedMatch] = []
    replaces: dict[int, tuple[str, ...]] = {}
    ended: list[ProposedMatch] = []
    for old in current.matches:
        member = old.members[0]
        if member in gone:
            ended.append(old)
        elif member not in r.changed:
            matches.append(old)
        else:
            seats = [s for s in old.data["seats"] if s["seminar_round"] < held]
            seats += [s for s in fresh[member].data["seats"] if s["seminar_round"] >= held]
            data = {**fresh[member].data, "seats": seats}
            replaces[len(matches)] = (old.id,)
            matches.append(ProposedMatch((member,), data))
            ended.append(old)
    # the figures of the whole plan (held rotations too), as the round's report had them
    known = [m for m in seated if m in by_id]  # the held rotations seat the departed too
    figures, _ = plan_figures(
        r.rounds, {m: by_id[m].site for m in known}, history=earlier,
        forbidden=inputs.forbidden, max_site_share=p.max_site_share,
        same_line=Organisation(inputs.everyone).conflict_pairs(known),
    )  # fmt: skip
    report = dict(current.report)
    report.update(figures=jsonable(figures), repaired_from_round=held, repair_method=r.method)
    return Repair(
        matches,
        replaces,
        ended,
        set(r.changed),
        rotations_kind._headline(report),
        {"method": r.method},
    )


def _with(inputs: Inputs, history: set[Pair]) -> Inputs:
    return dataclasses.replace(inputs, history=history)
