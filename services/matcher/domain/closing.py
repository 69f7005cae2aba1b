"""The lasting part of a published match: a group's sessions, the closing survey, closing.

A published mentoring pair or group gets a :class:`Course`: when it starts, when it
ends (a mentorship after ``duration_months``; a group after its 3 to 12 months) and, for
a group, the rhythm of its sessions. The facilitator records each session (its day and
who came); a session due and not recorded reminds the facilitator. At the end every
person is asked a short survey (satisfaction 1-5, would recommend, a comment only HR
sees: it stays here, never in an event) and the match is closed; a coordinator may
close it earlier. Each method returns the events to record (none when nothing changed).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from services.matcher import SERVICE
from services.matcher.domain.errors import AnswerRefused
from shared.events import Event, RoundKind
from shared.life_events import (
    GroupSessionRecorded,
    GroupSessionReminded,
    MatchClosed,
    MatchFeedbackGiven,
    life_event_id,
)
from shared.vocabulary.codes import ClosingReason

#: Days after a session's due day before its facilitator is reminded.
SESSION_GRACE_DAYS = 3
#: Longest comment of the closing survey (characters).
MAX_COMMENT = 2000


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it is shorter).

    >>> add_months(date(2027, 1, 31), 1)
    datetime.date(2027, 2, 28)
    >>> add_months(date(2027, 3, 15), 12)
    datetime.date(2028, 3, 15)
    """
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def session_days(start: date, rhythm_weeks: int, end: date) -> list[date]:
    """Days a group's sessions are due: from its start, every ``rhythm_weeks``, before its end.

    >>> session_days(date(2027, 1, 4), 4, date(2027, 4, 4))
    [datetime.date(2027, 1, 4), datetime.date(2027, 2, 1), datetime.date(2027, 3, 1), \
datetime.date(2027, 3, 29)]
    """
    found, day = [], start
    while day < end:
        found.append(day)
        day += timedelta(weeks=rhythm_weeks)
    return found


@dataclass(frozen=True)
class Session:
    """One recorded session of a group."""

    session_date: date
    attendee_ids: tuple[str, ...]
    recorded_by: str


@dataclass
class Course:
    """The course of one published match, from its start to its closing."""

    match_id: str
    round_id: str
    kind: RoundKind
    member_ids: tuple[str, ...]
    starts_on: date
    ends_on: date
    facilitator_id: str | None = None
    rhythm_weeks: int | None = None
    closed_at: datetime | None = None
    closed_reason: ClosingReason | None = None
    sessions: list[Session] = field(default_factory=list)

    def _common(self, now: datetime) -> dict[str, object]:
        return {"match_id": self.match_id, "round_id": self.round_id, "kind": self.kind,
                "producer": SERVICE, "occurred_at": now}  # fmt: skip

    def people(self) -> tuple[str, ...]:
        """Everyone surveyed at the end: the members and a group's facilitator."""
        extra = (self.facilitator_id,) if self.facilitator_id else ()
        return tuple(dict.fromkeys((*self.member_ids, *extra)))

    def due_sessions(self) -> list[date]:
        if self.rhythm_weeks is None:
            return []
        return session_days(self.starts_on, self.rhythm_weeks, self.ends_on)

    def record_session(
        self, by: str, day: date, attendee_ids: tuple[str, ...], now: datetime
    ) -> list[Event]:
        """The facilitator records a session; the same record again records nothing."""
        if self.kind != "groups" or by != self.facilitator_id:
            raise AnswerRefused("session_not_facilitator", match_id=self.match_id)
        if self.closed_at is not None:
            raise AnswerRefused("match_already_closed", match_id=self.match_id)
        if not self.starts_on <= day <= min(self.ends_on, now.date()):
            raise AnswerRefused("session_date_outside", match_id=self.match_id,
                                start=self.starts_on.isoformat(),
                                end=self.ends_on.isoformat())  # fmt: skip
        unknown = set(attendee_ids) - set(self.people())
        if unknown:
            raise AnswerRefused("session_attendee_unknown", match_id=self.match_id,
                                member_id=sorted(unknown)[0])  # fmt: skip
        came = tuple(sorted(set(attendee_ids)))
        for known in self.sessions:
            if known.session_date == day:
                if known.attendee_ids == came:
                    return []
                raise AnswerRefused("session_already_recorded", match_id=self.match_id,
                                    day=day.isoformat())  # fmt: skip
        self.sessions.append(Session(day, came, by))
        event_id = life_event_id(self.match_id, "session", day.isoformat())
        recorded = GroupSessionRecorded(**self._common(now), event_id=event_id,  # type: ignore[arg-type]
                                        session_date=day, attendee_ids=came,
                                        recorded_by=by)  # fmt: skip
        return [recorded]

    def session_reminder(self, number: int, now: datetime) -> list[Event]:
        """The facilitator's reminder for session ``number`` (1-based), if none was recorded."""
        days = self.due_sessions()
        if self.closed_at is not None or not self.facilitator_id or number > len(days):
            return []
        due = days[number - 1]
        window_end = days[number] if number < len(days) else self.ends_on
        if any(due - timedelta(days=7) <= s.session_date < window_end for s in self.sessions):
            return []
        event_id = life_event_id(self.match_id, "session_reminded", number)
        return [GroupSessionReminded(**self._common(now), event_id=event_id,  # type: ignore[arg-type]
                                     member_id=self.facilitator_id, session_number=number,
                                     due_on=due)]  # fmt: skip

    def close(self, reason: ClosingReason, now: datetime) -> list[Event]:
        """Close and archive the match; closing it again records nothing."""
        if self.closed_at is not None:
            return []
        self.closed_at, self.closed_reason = now, reason
        event_id = life_event_id(self.match_id, "closed")
        return [MatchClosed(**self._common(now), event_id=event_id, reason=reason,  # type: ignore[arg-type]
                            member_ids=self.people())]  # fmt: skip


@dataclass
class Feedback:
    """One person's closing survey; ``comment`` is for HR only and never leaves the matcher."""

    match_id: str
    member_id: str
    requested_at: datetime
    satisfaction: int | None = None
    would_recommend: bool | None = None
    comment: str = ""
    answered_at: datetime | None = None

    def answer(
        self, course: Course, satisfaction: int, recommend: bool, comment: str, now: datetime
    ) -> list[Event]:
        """Answer once; the same answer again records nothing, another one is refused."""
        if not 1 <= satisfaction <= 5 or len(comment) > MAX_COMMENT:
            raise AnswerRefused("feedback_invalid", match_id=self.match_id)
        mine = (satisfaction, recommend, comment.strip())
        if self.answered_at is not None:
            if (self.satisfaction, self.would_recommend, self.comment) == mine:
                return []
            raise AnswerRefused("feedback_already_given", match_id=self.match_id)
        self.satisfaction, self.would_recommend, self.comment = mine
        self.answered_at = now
        event_id = life_event_id(self.match_id, self.member_id, "feedback")
        return [MatchFeedbackGiven(**course._common(now), event_id=event_id,  # type: ignore[arg-type]
                                   member_id=self.member_id, satisfaction=satisfaction,
                                   would_recommend=recommend)]  # fmt: skip
