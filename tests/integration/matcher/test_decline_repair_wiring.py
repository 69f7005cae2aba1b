"""A decline (or no answer by the deadline) is a departure from the round: recorded once
whatever the redeliveries, repaired at once with the round's ``auto_repair`` policy, left
for the coordinator without it. A repair's new matches enter the life of matches; the
timers of the matches it ended are cancelled (real database)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from services.matcher.adapters.life_orm import life_timers
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.service_layer import life, repairs
from shared.life_events import MatchDeclined, MatchUnanswered, life_event_id
from shared.vocabulary.codes import DeclineReason
from tests.integration.matcher.test_round_repair import matches, published
from tests.integration.matcher.test_round_repair import uow as uow

NOW = datetime(2026, 1, 5, 9, tzinfo=UTC)


def declined(round_id: str, match_id: str, member_id: str) -> MatchDeclined:
    return MatchDeclined(
        event_id=life_event_id(match_id, member_id, "answer"), producer="matcher",
        match_id=match_id, round_id=round_id, kind="mentoring", member_id=member_id,
        reason=DeclineReason.NOT_A_FIT,
    )  # fmt: skip


def unfired(uow: UnitOfWork, match_id: str) -> int:
    with uow.engine.connect() as conn:
        rows = conn.execute(
            select(life_timers.c.id).where(
                life_timers.c.match_id == match_id, life_timers.c.fired_at.is_(None)
            )
        ).all()
    return len(rows)


def test_without_the_policy_a_decline_waits_for_the_coordinator_recorded_once(uow) -> None:
    rid = published(uow, "mentoring", 15)
    mid, pair = next(iter(matches(uow, rid).items()))
    event = declined(rid, mid, pair[1])
    for _ in range(3):  # redelivered
        assert repairs.on_match_left(uow, event) is None
    gone, reports = repairs.departures(uow, rid)
    assert [(d["member_id"], d["reason"], d["repaired_in"]) for d in gone] == [
        (pair[1], "declined", None)
    ]
    assert not reports and matches(uow, rid)[mid] == pair


def test_with_the_policy_a_decline_is_repaired_once_even_when_redelivered(uow) -> None:
    rid = published(uow, "mentoring", 18, auto_repair=True)
    before = matches(uow, rid)
    mid, pair = next(iter(before.items()))
    event = declined(rid, mid, pair[1])
    outcome = repairs.on_match_left(uow, event)
    assert outcome is not None and outcome.round.revision == 1
    assert repairs.on_match_left(uow, event) is None  # redelivery after the repair
    gone, reports = repairs.departures(uow, rid)
    assert len(reports) == 1 and [d["repaired_in"] for d in gone] == [1]
    after = matches(uow, rid)
    assert all(after.get(k) == v for k, v in before.items() if k != mid)
    assert mid not in after and unfired(uow, mid) == 0  # the ended match reminds nobody


def test_a_repairs_new_match_can_be_answered_like_a_published_one(uow) -> None:
    rid = published(uow, "mentoring", 16, auto_repair=True)  # two mentors' seats free
    mid, pair = next(iter(matches(uow, rid).items()))
    outcome = repairs.on_match_left(uow, declined(rid, mid, pair[0]))  # the mentor declines
    assert outcome is not None and outcome.report["new_match_ids"]
    for new_id in outcome.report["new_match_ids"]:
        _, mentee = matches(uow, rid)[new_id]
        assert life.answer(uow, new_id, mentee, True, None, NOW).state == "accepted"
        assert unfired(uow, new_id) > 0  # reminders, check-in, the end of the course


def test_a_decline_of_a_match_a_repair_already_ended_records_nothing(uow) -> None:
    rid = published(uow, "mentoring", 15)
    mid, pair = next(iter(matches(uow, rid).items()))
    repairs.repair_round(uow, rid, {pair[1]}, "coordinator")
    assert repairs.on_match_left(uow, declined(rid, mid, pair[0])) is None
    gone, _ = repairs.departures(uow, rid)
    assert [d["member_id"] for d in gone] == [pair[1]]


def test_no_answer_by_the_deadline_is_a_departure_of_its_own_reason(uow) -> None:
    rid = published(uow, "mentoring", 15)
    mid, pair = next(iter(matches(uow, rid).items()))
    event = MatchUnanswered(
        event_id=life_event_id(mid, pair[0], "unanswered"), producer="matcher", match_id=mid,
        round_id=rid, kind="mentoring", member_id=pair[0], deadline=NOW,
    )  # fmt: skip
    assert repairs.on_match_left(uow, event) is None
    gone, _ = repairs.departures(uow, rid)
    assert [(d["member_id"], d["reason"]) for d in gone] == [(pair[0], "unanswered")]
