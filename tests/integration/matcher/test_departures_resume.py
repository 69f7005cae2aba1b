"""HR deactivation as a departure, and automatic repairs that resume after a stop, on a
real database (SQLite, then PostgreSQL): each departure is recorded once per event id,
claimed by one automatic repair at a time, and repaired once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from services.matcher.adapters.closing_orm import courses
from services.matcher.adapters.orm import departures
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.parameters import parse
from services.matcher.service_layer import repairs, rounds
from services.matcher.service_layer.computation import claim_next, run_round
from services.matcher.service_layer.projection import apply_member_events
from shared.events import MemberDeactivated, RoundScope
from tests.integration.matcher import test_round_repair
from tests.integration.matcher.test_round_repair import matches, member, published

uow = test_round_repair.uow  # the same fixture: a migrated matcher database

LEFT_ON = date(2026, 11, 2)


def deactivated(i: int, version: int = 2) -> MemberDeactivated:
    profile = member(i).profile.model_copy(update={"left_on": LEFT_ON})
    return MemberDeactivated(producer="t", member_id=f"m{i:02}", version=version, profile=profile)


def mentor_of(uow: UnitOfWork, rid: str) -> tuple[str, int]:
    mentor = next(iter(matches(uow, rid).values()))[0]
    return mentor, int(mentor.removeprefix("m"))


def pending(uow: UnitOfWork, rid: str) -> list[tuple[str, str, int | None]]:
    gone, _ = repairs.departures(uow, rid)
    return [(d["member_id"], d["reason"], d["repaired_in"]) for d in gone]


def test_a_deactivated_member_departs_once_and_the_round_is_repaired_by_its_policy(uow) -> None:
    rid = published(uow, "mentoring", 15, auto_repair=True)
    before = matches(uow, rid)
    mentor, i = mentor_of(uow, rid)
    event = deactivated(i)
    stats = apply_member_events(uow, [event])
    assert stats.departed_rounds == {rid: "deactivated"}
    again = apply_member_events(uow, [event])  # redelivered: nothing more
    assert again.duplicates == 1 and again.departed_rounds == {}
    assert pending(uow, rid) == [(mentor, "deactivated", None)]
    outcome = repairs.repair_if_policy(uow, rid, "deactivated")
    assert outcome is not None and outcome.report["reason"] == "deactivated"
    after = matches(uow, rid)
    assert all(mentor not in v for v in after.values())
    assert all(after.get(k) == v for k, v in before.items() if mentor not in v)
    assert pending(uow, rid) == [(mentor, "deactivated", 1)]
    assert repairs.repair_if_policy(uow, rid, "deactivated") is None  # repaired once


def test_a_deactivated_member_is_kept_but_never_matched_again(uow) -> None:
    rid = published(uow, "mentoring", 15)
    mentor, i = mentor_of(uow, rid)
    apply_member_events(uow, [deactivated(i)])
    assert pending(uow, rid) == [(mentor, "deactivated", None)]  # for the coordinator
    assert repairs.repair_if_policy(uow, rid, "deactivated") is None  # policy off
    with uow.begin() as store:
        assert store.members.get(mentor) is not None  # kept, with left_on
        assert store.repairs.resumable(datetime.now(UTC), 10) == {}  # left to the coordinator
    request = rounds.RoundRequest("later", "mentoring", "", RoundScope(), parse("mentoring", {}))
    later, _ = rounds.create_round(uow, request, "hr")
    assert claim_next(uow) == later.id
    run_round(uow, later.id)
    placed = {m for v in matches(uow, later.id).values() for m in v}
    assert placed and mentor not in placed


def test_a_member_whose_match_is_closed_does_not_depart_from_its_round(uow) -> None:
    rid = published(uow, "mentoring", 15)
    _, i = mentor_of(uow, rid)
    with uow.engine.begin() as conn:
        closed = courses.update().values(closed_at=datetime.now(UTC), closed_reason="completed")
        assert conn.execute(closed).rowcount == len(matches(uow, rid))
    assert apply_member_events(uow, [deactivated(i)]).departed_rounds == {}
    assert pending(uow, rid) == []


def crash_between_recording_and_repairing(uow: UnitOfWork, rid: str, who: str, lease: timedelta):
    """The state a matcher leaves when it stops after recording a departure: with a claim
    whose lease ends ``lease`` from now (negative: ran out), or none (``lease`` zero)."""
    now = datetime.now(UTC)
    with uow.begin() as store:
        store.repairs.record_departure(rid, who, "declined", now)
        if lease:
            assert store.repairs.claim_auto(rid, now, now + lease)


def test_an_interrupted_automatic_repair_is_resumed_once(uow) -> None:
    rid = published(uow, "mentoring", 15, auto_repair=True)
    mentor, _ = mentor_of(uow, rid)
    crash_between_recording_and_repairing(uow, rid, mentor, timedelta(0))
    assert repairs.resume_repairs(uow) == 1
    assert repairs.resume_repairs(uow) == 0  # nothing left: never repaired twice
    assert pending(uow, rid) == [(mentor, "declined", 1)]
    assert all(mentor not in v for v in matches(uow, rid).values())


def test_a_live_claim_is_left_alone_and_an_expired_one_is_taken_over(uow) -> None:
    rid = published(uow, "mentoring", 15, auto_repair=True)
    mentor, _ = mentor_of(uow, rid)
    crash_between_recording_and_repairing(uow, rid, mentor, timedelta(minutes=5))
    assert repairs.resume_repairs(uow) == 0  # another worker holds it
    now = datetime.now(UTC)
    with uow.begin() as store:
        assert not store.repairs.claim_auto(rid, now, now + timedelta(minutes=1))
    with uow.engine.begin() as conn:
        conn.execute(departures.update().values(claimed_until=now - timedelta(seconds=1)))
    assert repairs.resume_repairs(uow) == 1  # its lease ran out: the worker stopped
    assert pending(uow, rid) == [(mentor, "declined", 1)]


def test_a_refused_automatic_repair_waits_for_the_coordinator(uow) -> None:
    rid = published(uow, "mentoring", 15, auto_repair=True)
    crash_between_recording_and_repairing(uow, rid, "not-in-the-round", timedelta(0))
    assert repairs.resume_repairs(uow) == 0  # repair_nothing_to_do: refused
    with uow.engine.connect() as conn:
        row = conn.execute(select(departures.c.coordinator_since, departures.c.claimed_until))
        since, claim = row.one()
    assert since is not None and claim is None
    assert repairs.resume_repairs(uow) == 0  # not tried again at every tick
