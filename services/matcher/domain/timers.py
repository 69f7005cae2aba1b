"""Time in the life of a match: the clock, and when each durable timer is due.

The clock is injected (:class:`Clock`): production reads the system clock; tests and the
demo use an :class:`AdjustableClock` they move forward, so months pass in seconds.
Timers are plain values here; the adapters store them and fire each one once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

#: Reminders about an unanswered match or check-in, at most.
MAX_REMINDERS = 2
#: Days between a check-in request and each of its reminders.
CHECKIN_REMINDER_DAYS = 7


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The wall clock (UTC)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class AdjustableClock:
    """The wall clock moved forward by an offset that only grows (tests, demo).

    >>> clock = AdjustableClock()
    >>> before = clock.now()
    >>> clock.advance(timedelta(days=7))
    >>> clock.now() - before >= timedelta(days=7)
    True
    """

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self._offset = offset
        self._lock = threading.Lock()

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("the clock never goes back")
        with self._lock:
            self._offset += delta

    @property
    def offset(self) -> timedelta:
        return self._offset


class TimerKind(StrEnum):
    RESPONSE_REMINDER = "response_reminder"  # n = 1, 2
    RESPONSE_DEADLINE = "response_deadline"
    CHECKIN = "checkin"  # n = 0 the request, 1, 2 reminders
    SESSION_DUE = "session_due"  # the facilitator's, n = the session's number (1, 2...)
    END = "end"  # the match's (member id END_OF_MATCH): survey everyone, then close
    FEEDBACK_REMINDER = "feedback_reminder"  # n = 1, 2


#: The member id of the timers that concern the whole match, not one person.
END_OF_MATCH = "*"


def family(kind: TimerKind) -> tuple[TimerKind, ...]:
    """Timers of one thread of messages: a later due one makes an earlier one pointless."""
    if kind not in (TimerKind.RESPONSE_REMINDER, TimerKind.RESPONSE_DEADLINE):
        return (kind,)
    return (TimerKind.RESPONSE_REMINDER, TimerKind.RESPONSE_DEADLINE)


@dataclass(frozen=True)
class Timer:
    """A timer for one member of one match."""

    kind: TimerKind
    n: int
    due_at: datetime

    def key(self, match_id: str, member_id: str) -> str:
        """Its id: one timer of a kind and rank per member and match, whoever schedules it."""
        return f"{match_id}:{member_id}:{self.kind}:{self.n}"


def response_deadline(published_at: datetime, response_days: int) -> datetime:
    return published_at + timedelta(days=response_days)


def life_timers(published_at: datetime, response_days: int, checkin_days: int) -> list[Timer]:
    """The timers of one member of a newly published match.

    Reminders at 1/3 and 2/3 of the delay to answer, "no answer" at the deadline, the
    check-in at ``checkin_days`` then reminded every :data:`CHECKIN_REMINDER_DAYS`.

    >>> t0 = datetime(2027, 1, 1, tzinfo=UTC)
    >>> [(t.kind.value, t.n, (t.due_at - t0).days) for t in life_timers(t0, 6, 14)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('response_reminder', 1, 2), ('response_reminder', 2, 4), ('response_deadline', 0, 6),
     ('checkin', 0, 14), ('checkin', 1, 21), ('checkin', 2, 28)]
    """
    delay = timedelta(days=response_days)
    found = [
        Timer(TimerKind.RESPONSE_REMINDER, n, published_at + delay * n / (MAX_REMINDERS + 1))
        for n in range(1, MAX_REMINDERS + 1)
    ]
    found.append(
        Timer(TimerKind.RESPONSE_DEADLINE, 0, response_deadline(published_at, response_days))
    )
    checkin = published_at + timedelta(days=checkin_days)
    found += [
        Timer(TimerKind.CHECKIN, n, checkin + timedelta(days=CHECKIN_REMINDER_DAYS * n))
        for n in range(0, MAX_REMINDERS + 1)
    ]
    return found


DAY = timedelta(days=1)


def at_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def course_timers(
    ends_on: date, session_days: list[date], grace_days: int
) -> list[tuple[bool, Timer]]:
    """The timers of a match's course: ``(for the facilitator, timer)``; the others are the
    match's (:data:`END_OF_MATCH`), whose end then schedules each person's reminders.

    >>> days = [date(2027, 1, 4), date(2027, 2, 1)]
    >>> [(f, t.kind.value, t.n, t.due_at.date().isoformat())
    ...  for f, t in course_timers(date(2027, 3, 1), days, 3)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(True, 'session_due', 1, '2027-01-07'), (True, 'session_due', 2, '2027-02-04'),
     (False, 'end', 0, '2027-03-01')]
    """
    found = [
        (True, Timer(TimerKind.SESSION_DUE, n, at_midnight(day + timedelta(days=grace_days))))
        for n, day in enumerate(session_days, start=1)
    ]
    found.append((False, Timer(TimerKind.END, 0, at_midnight(ends_on))))
    return found


def feedback_reminders(requested_at: datetime) -> list[Timer]:
    """Reminders of the closing survey, every :data:`CHECKIN_REMINDER_DAYS`."""
    return [
        Timer(TimerKind.FEEDBACK_REMINDER, n, requested_at + CHECKIN_REMINDER_DAYS * n * DAY)
        for n in range(1, MAX_REMINDERS + 1)
    ]
