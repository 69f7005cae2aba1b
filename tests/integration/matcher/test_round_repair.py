"""Repairing a published round: only the matches the departures touch change, in one
transaction with their events, the history and the repair report (real database)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from services.matcher.adapters.orm import history, outbox
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.errors import InvalidTransition
from services.matcher.domain.parameters import parse
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer import repairs, rounds
from services.matcher.service_layer.computation import claim_next, run_round
from services.matcher.service_layer.projection import apply_member_events
from shared.db import make_engine
from shared.events import MatchingProfile, MemberErased, MemberRegistered, OptIns, RoundScope
from shared.migrations import upgrade

SITES = ("Paris", "Lyon", "Lille", "Nantes")
THEMES = ("outils", "budget", "rh", "accueil")


@pytest.fixture
def uow(db_url: str) -> Iterator[UnitOfWork]:
    eng = make_engine(db_url)
    upgrade(eng, MIGRATIONS)
    yield UnitOfWork(eng)
    eng.dispose()


def member(i: int) -> MemberRegistered:
    mentor = i % 3 == 0
    opt = OptIns(
        groups=True, seminars=True, facilitator=i % 6 == 0, mentor=mentor,
        mentor_capacity=2 if mentor else 0, mentee=not mentor,
    )  # fmt: skip
    profile = MatchingProfile(
        site=SITES[i % 4], function="AD", themes=(THEMES[i % 4], THEMES[(i + 1) % 4]),
        skills={"agenda": 4 if mentor else 1}, skills_wanted=("agenda",), opt_ins=opt,
    )  # fmt: skip
    return MemberRegistered(producer="t", member_id=f"m{i:02}", version=1, profile=profile)


def published(uow: UnitOfWork, kind: str, n: int, **params: object) -> str:
    apply_member_events(uow, [member(i) for i in range(n)])
    request = rounds.RoundRequest(f"req-{kind}", kind, "", RoundScope(), parse(kind, params))  # type: ignore[arg-type]
    created, _ = rounds.create_round(uow, request, "hr")
    assert claim_next(uow) == created.id
    run_round(uow, created.id)
    rounds.publish_round(uow, created.id)
    return created.id


def matches(uow: UnitOfWork, round_id: str) -> dict[str, tuple[str, ...]]:
    found, _ = rounds.list_matches(uow, round_id)
    return {m.id: m.members for m in found}


def events(uow: UnitOfWork) -> list[dict]:
    with uow.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.subject, outbox.c.payload)).all()
    return [{"subject": s, **(json.loads(p) if isinstance(p, str) else p)} for s, p in rows]


def test_a_mentoring_repair_keeps_every_other_pair_and_announces_only_the_changes(uow) -> None:
    rid = published(uow, "mentoring", 18)
    before = matches(uow, rid)
    gone_mentor = next(iter(before.values()))[0]
    sent_before = len(events(uow))

    outcome = repairs.repair_round(uow, rid, {gone_mentor}, "declined", repaired_by="hr")

    after = matches(uow, rid)
    kept = {k: v for k, v in before.items() if gone_mentor not in v}
    assert all(after.get(k) == v for k, v in kept.items()), "an unaffected pair changed"
    assert all(gone_mentor not in v for v in after.values())
    assert outcome.round.revision == 1 and outcome.round.state == "published"
    report = outcome.report
    freed = {v[1] for v in before.values() if gone_mentor in v}
    assert freed <= set(report["changed_people"]) | {gone_mentor}
    new_ids = set(after) - set(before)
    assert set(report["new_match_ids"]) == new_ids
    assert report["changed_count"] == len(report["changed_people"])
    assert set(report["changed_people"]) <= freed | {m for i in new_ids for m in after[i]}
    fresh = events(uow)[sent_before:]
    announced = [e for e in fresh if e["type"].startswith("match.mentoring")]
    assert {e["match_id"] for e in announced} == new_ids, "an unchanged match was re-announced"
    assert all(e["revision"] == 1 and e["replaces"] for e in announced)
    repaired = [e for e in fresh if e["type"] == "round.repaired"]
    assert len(repaired) == 1 and repaired[0]["changed_member_count"] == report["changed_count"]
    closed = [e for e in fresh if e["type"] == "match.closed"]
    assert {e["match_id"] for e in closed} == {k for k, v in before.items() if gone_mentor in v}
    told = {m for e in fresh if e["type"] == "match.superseded" for m in e["members"]}
    placed = {m for i in new_ids for m in after[i]}
    assert told == freed - placed  # a freed mentee with no new mentor is told
    with uow.engine.connect() as conn:
        met = {frozenset(r) for r in conn.execute(select(history.c.member_a, history.c.member_b))}
    assert met == {frozenset(v) for v in after.values()}


def test_a_groups_repair_changes_only_the_group_that_lost_someone(uow) -> None:
    rid = published(uow, "groups", 30, target_size=6)
    before = matches(uow, rid)
    group_id, group = next(iter(before.items()))
    outcome = repairs.repair_round(uow, rid, {group[0]}, "deactivated")
    after = matches(uow, rid)
    unchanged = {k for k in before if k in after and after[k] == before[k]}
    assert unchanged >= set(before) - {group_id} - set(outcome.report["ended_match_ids"])
    assert group_id in outcome.report["ended_match_ids"]
    assert set(outcome.report["changed_people"]) >= set(group) - {group[0]}
    assert all(5 <= len(v) <= 10 for v in after.values())
    placed = [m for v in after.values() for m in v]
    assert len(placed) == len(set(placed)) and group[0] not in placed


def test_a_rotations_repair_keeps_the_held_rotations(uow) -> None:
    rid = published(uow, "rotations", 24, table_size=4, rounds=3)
    found, _ = rounds.list_matches(uow, rid)
    before = {m.members[0]: m.data["seats"] for m in found}
    gone = "m05"
    outcome = repairs.repair_round(uow, rid, {gone}, "declined", held=1)
    found, _ = rounds.list_matches(uow, rid)
    after = {m.members[0]: m.data["seats"] for m in found}
    assert gone not in after
    for who, seats in after.items():
        assert seats[0] == before[who][0], "a held rotation changed"
    changed = {who for who in after if after[who] != before[who]}
    assert changed == set(outcome.report["changed_people"])
    if outcome.report["method"] == "drop":
        mates = {m for s in before[gone][1:] for m in s["tablemates"]}
        assert changed == mates


def test_a_round_not_published_cannot_be_repaired_and_a_departure_waits_for_the_coordinator(
    uow,
) -> None:
    apply_member_events(uow, [member(i) for i in range(12)])
    request = rounds.RoundRequest("req-x", "mentoring", "", RoundScope(), parse("mentoring", {}))
    created, _ = rounds.create_round(uow, request, "hr")
    with pytest.raises(InvalidTransition):
        repairs.repair_round(uow, created.id, {"m01"}, "declined")
    rounds.cancel_round(uow, created.id)
    rid = published(uow, "mentoring", 12)
    assert repairs.on_member_departed(uow, rid, "m01", "declined") is None  # policy off
    gone, reports = repairs.departures(uow, rid)
    assert [(d["member_id"], d["repaired_in"]) for d in gone] == [("m01", None)] and not reports
    outcome = repairs.repair_round(uow, rid, set(), "coordinator")  # takes the pending one
    assert all("m01" not in v for v in matches(uow, rid).values())
    gone, reports = repairs.departures(uow, rid)
    assert gone[0]["repaired_in"] == outcome.round.revision == 1 and len(reports) == 1


def test_the_auto_repair_policy_repairs_as_soon_as_a_member_is_erased(uow) -> None:
    assert repairs.repair_if_policy(uow, "no-such-round", "erased") is None
    rid = published(uow, "mentoring", 15, auto_repair=True)
    before = matches(uow, rid)
    mentee = next(iter(before.values()))[1]
    stats = apply_member_events(uow, [MemberErased(producer="t", member_id=mentee, version=2)])
    assert stats.departed_rounds == {rid: "erased"}  # what the handler repairs next
    gone, _ = repairs.departures(uow, rid)
    assert [(d["member_id"], d["reason"]) for d in gone] == [("~erased", "erased")]
    outcome = repairs.repair_if_policy(uow, rid, "erased")
    assert outcome is not None and outcome.round.revision == 1
    assert outcome.report["departed_count"] == 0  # the tombstone names nobody
    after = matches(uow, rid)
    assert all(mentee not in v and "~erased" not in v for v in after.values())
    assert all(after.get(k) == v for k, v in before.items() if mentee not in v)


def test_without_the_policy_an_erasure_waits_for_the_coordinator(uow) -> None:
    rid = published(uow, "mentoring", 15)
    mentee = next(iter(matches(uow, rid).values()))[1]
    apply_member_events(uow, [MemberErased(producer="t", member_id=mentee, version=2)])
    assert repairs.repair_if_policy(uow, rid, "erased") is None
    outcome = repairs.repair_round(uow, rid, set(), "coordinator")
    assert all("~erased" not in v for v in matches(uow, rid).values())
    assert outcome.round.revision == 1


def test_someone_who_left_is_never_placed_again_by_a_later_repair(uow) -> None:
    rid = published(uow, "groups", 30, target_size=6)
    groups = list(matches(uow, rid).values())
    first, second = groups[0][0], groups[1][0]
    repairs.repair_round(uow, rid, {first}, "declined")
    outcome = repairs.repair_round(uow, rid, {second}, "declined")
    placed = {m for v in matches(uow, rid).values() for m in v}
    assert first not in placed and second not in placed
    assert outcome.report["departed_count"] == 1  # this repair handled one departure
    gone, _ = repairs.departures(uow, rid)
    assert {(d["member_id"], d["repaired_in"]) for d in gone} == {(first, 1), (second, 2)}
