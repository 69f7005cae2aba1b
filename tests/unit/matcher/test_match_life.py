"""A member's part in a published match: answers, deadline, reminders, check-in (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.matcher.domain.errors import AnswerRefused
from services.matcher.domain.life import AnswerState, Participation
from services.matcher.domain.timers import AdjustableClock, TimerKind, life_timers
from shared.life_events import (
    MatchAccepted,
    MatchCheckinRequested,
    MatchDeclined,
    MatchResponseReminded,
    MatchUnanswered,
    life_event_id,
)
from shared.vocabulary.codes import CheckinFit, DeclineReason

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def part() -> Participation:
    return Participation("match-1", "round-1", "mentoring", "m1", deadline=T0 + 7 * DAY)


def test_accepting_records_one_event_with_the_clock_time_and_a_deterministic_id() -> None:
    p = part()
    [event] = p.answer(True, None, T0 + DAY)
    assert isinstance(event, MatchAccepted) and event.occurred_at == T0 + DAY
    assert event.event_id == life_event_id("match-1", "m1", "answer")
    assert p.state == AnswerState.ACCEPTED


def test_the_same_answer_twice_records_nothing_the_second_time() -> None:
    p = part()
    assert p.answer(False, DeclineReason.NOT_AVAILABLE, T0 + DAY)
    assert p.answer(False, DeclineReason.NOT_AVAILABLE, T0 + 2 * DAY) == []
    assert p.answered_at == T0 + DAY


def test_changing_an_answer_is_refused() -> None:
    p = part()
    p.answer(True, None, T0 + DAY)
    with pytest.raises(AnswerRefused) as refused:
        p.answer(False, DeclineReason.OTHER, T0 + 2 * DAY)
    assert refused.value.code == "match_already_answered"


def test_declining_needs_a_reason_code() -> None:
    with pytest.raises(AnswerRefused) as refused:
        part().answer(False, None, T0)
    assert refused.value.code == "match_decline_needs_reason"
    [event] = part().answer(False, DeclineReason.LEFT, T0)
    assert isinstance(event, MatchDeclined) and event.reason == "left"


def test_an_answer_after_the_deadline_is_refused() -> None:
    with pytest.raises(AnswerRefused) as refused:
        part().answer(True, None, T0 + 7 * DAY)
    assert refused.value.code == "match_deadline_passed"


def test_reminders_and_the_deadline_concern_only_a_member_who_has_not_answered() -> None:
    waiting, answered = part(), part()
    answered.answer(True, None, T0)
    [reminder] = waiting.on_timer(TimerKind.RESPONSE_REMINDER, 2, T0 + 5 * DAY)
    assert isinstance(reminder, MatchResponseReminded) and reminder.reminder == 2
    assert answered.on_timer(TimerKind.RESPONSE_REMINDER, 1, T0 + 2 * DAY) == []
    [late] = waiting.on_timer(TimerKind.RESPONSE_DEADLINE, 0, T0 + 7 * DAY)
    assert isinstance(late, MatchUnanswered) and waiting.state == AnswerState.UNANSWERED
    assert answered.on_timer(TimerKind.RESPONSE_DEADLINE, 0, T0 + 7 * DAY) == []


def test_the_check_in_is_asked_of_those_who_accepted_until_they_answer() -> None:
    declined, accepted = part(), part()
    declined.answer(False, DeclineReason.NOT_A_FIT, T0)
    accepted.answer(True, None, T0)
    assert declined.on_timer(TimerKind.CHECKIN, 0, T0 + 14 * DAY) == []
    [asked] = accepted.on_timer(TimerKind.CHECKIN, 0, T0 + 14 * DAY)
    assert isinstance(asked, MatchCheckinRequested) and asked.reminder == 0
    assert accepted.check_in(True, CheckinFit.UNSURE, T0 + 15 * DAY)
    assert accepted.check_in(True, CheckinFit.UNSURE, T0 + 16 * DAY) == []
    assert accepted.on_timer(TimerKind.CHECKIN, 1, T0 + 21 * DAY) == []
    with pytest.raises(AnswerRefused):
        accepted.check_in(False, CheckinFit.NOT_A_FIT, T0 + 16 * DAY)
    with pytest.raises(AnswerRefused):
        declined.check_in(True, CheckinFit.GOOD, T0 + 16 * DAY)


def test_timers_are_two_reminders_then_the_deadline_then_the_check_in_and_two_reminders() -> None:
    timers = life_timers(T0, 7, 14)
    response = [t for t in timers if t.kind != TimerKind.CHECKIN]
    assert [t.due_at for t in response] == [T0 + 7 * DAY / 3, T0 + 14 * DAY / 3, T0 + 7 * DAY]
    assert next(t.due_at for t in timers if t.kind == TimerKind.CHECKIN) == T0 + 14 * DAY
    assert len({t.key("x", "m") for t in timers}) == len(timers) == 6


def test_the_adjustable_clock_only_moves_forward() -> None:
    clock = AdjustableClock()
    with pytest.raises(ValueError):
        clock.advance(-DAY)
    clock.advance(3 * DAY)
    assert clock.offset == 3 * DAY


def test_the_examples_of_the_timer_rules_run() -> None:
    import doctest

    from services.matcher.domain import timers

    result = doctest.testmod(timers)
    assert result.attempted > 0 and result.failed == 0
