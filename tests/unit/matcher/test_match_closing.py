"""A match's course: a group's sessions, the facilitator's reminders, the survey, closing (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.matcher.domain.closing import Course, Feedback, add_months, session_days
from services.matcher.domain.errors import AnswerRefused
from services.matcher.domain.parameters import parse
from services.matcher.domain.timers import TimerKind, course_timers, family
from shared.life_events import (
    GroupSessionRecorded,
    GroupSessionReminded,
    MatchClosed,
    MatchFeedbackGiven,
    life_event_id,
)
from shared.vocabulary.codes import ClosingReason

START = date(2027, 1, 4)
NOW = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)


def group() -> Course:
    return Course("g1", "r1", "groups", ("a", "b", "c"), START, add_months(START, 3),
                  facilitator_id="f", rhythm_weeks=4)  # fmt: skip


def test_a_group_of_three_months_every_four_weeks_has_four_sessions_due() -> None:
    assert group().due_sessions() == session_days(START, 4, date(2027, 4, 4))
    assert len(group().due_sessions()) == 4


def test_the_facilitator_records_a_session_once_with_a_deterministic_event() -> None:
    g = group()
    [event] = g.record_session("f", START, ("b", "a", "f"), NOW)
    assert isinstance(event, GroupSessionRecorded)
    assert event.attendee_ids == ("a", "b", "f") and event.recorded_by == "f"
    assert event.event_id == life_event_id("g1", "session", START.isoformat())
    assert g.record_session("f", START, ("a", "b", "f"), NOW) == []


@pytest.mark.parametrize(
    ("by", "day", "came", "code"),
    [
        ("a", START, ("a",), "session_not_facilitator"),
        ("f", START - timedelta(days=1), ("a",), "session_date_outside"),
        ("f", NOW.date() + timedelta(days=1), ("a",), "session_date_outside"),
        ("f", START, ("stranger",), "session_attendee_unknown"),
    ],
)
def test_a_session_is_refused_from_a_member_out_of_its_dates_or_with_a_stranger(
    by: str, day: date, came: tuple[str, ...], code: str
) -> None:
    with pytest.raises(AnswerRefused) as refused:
        group().record_session(by, day, came, NOW)
    assert refused.value.code == code and refused.value.params["match_id"] == "g1"


def test_another_attendance_on_a_recorded_day_is_refused() -> None:
    g = group()
    g.record_session("f", START, ("a",), NOW)
    with pytest.raises(AnswerRefused):
        g.record_session("f", START, ("a", "b"), NOW)


def test_the_facilitator_is_reminded_only_of_a_session_not_recorded() -> None:
    g = group()
    g.record_session("f", START + timedelta(days=2), ("a", "b"), NOW)
    assert g.session_reminder(1, NOW) == []
    [event] = g.session_reminder(2, NOW)
    assert isinstance(event, GroupSessionReminded)
    assert event.member_id == "f" and event.session_number == 2
    assert event.due_on == START + timedelta(weeks=4)


def test_closing_twice_records_one_match_closed_with_everyone() -> None:
    g = group()
    [event] = g.close(ClosingReason.COMPLETED, NOW)
    assert isinstance(event, MatchClosed) and event.member_ids == ("a", "b", "c", "f")
    assert g.close(ClosingReason.COORDINATOR, NOW) == []
    assert g.closed_reason == ClosingReason.COMPLETED
    with pytest.raises(AnswerRefused):
        g.record_session("f", START, ("a",), NOW)


def test_the_survey_event_carries_no_comment_and_the_answer_is_final() -> None:
    f = Feedback("g1", "a", NOW)
    [event] = f.answer(group(), 4, True, "  Très utile  ", NOW)
    assert isinstance(event, MatchFeedbackGiven)
    assert "Très utile" not in event.model_dump_json() and f.comment == "Très utile"
    assert f.answer(group(), 4, True, "Très utile", NOW) == []
    with pytest.raises(AnswerRefused):
        f.answer(group(), 2, True, "Très utile", NOW)


def test_the_course_timers_remind_the_facilitator_then_end_the_match() -> None:
    timers = course_timers(date(2027, 4, 4), group().due_sessions(), 3)
    assert [t.kind for _, t in timers].count(TimerKind.SESSION_DUE) == 4
    assert timers[-1] == (False, timers[-1][1]) and timers[-1][1].kind == TimerKind.END
    assert family(TimerKind.SESSION_DUE) == (TimerKind.SESSION_DUE,)


@pytest.mark.parametrize("months", [2, 13])
def test_a_group_lives_between_three_and_twelve_months(months: int) -> None:
    with pytest.raises(ValidationError):
        parse("groups", {"duration_months": months})


def test_a_rhythm_longer_than_the_group_is_refused() -> None:
    with pytest.raises(ValidationError):
        parse("groups", {"duration_months": 3, "rhythm_weeks": 12, "start": "2027-01-04"})
    assert parse("groups", {"rhythm_weeks": 2, "start": "2027-01-04"}).start == START
