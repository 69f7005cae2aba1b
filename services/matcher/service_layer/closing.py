"""Use cases of a match's course: sessions, reminders, the closing survey, closing.

Publication schedules each pair's or group's course with its timers
(:func:`schedule_courses`); :func:`on_course_timer` is what those timers do when the
life timer worker fires them (each once, in the transaction of its effect).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from services.matcher import SERVICE
from services.matcher.adapters.life_repository import Claimed
from services.matcher.adapters.unit_of_work import Store, UnitOfWork
from services.matcher.domain.closing import SESSION_GRACE_DAYS, Course, Feedback, add_months
from services.matcher.domain.errors import AnswerRefused, MatchNotFound
from services.matcher.domain.life import ANSWERED_KINDS
from services.matcher.domain.parameters import Parameters
from services.matcher.domain.timers import (
    END_OF_MATCH,
    TimerKind,
    course_timers,
    feedback_reminders,
)
from shared.events import Event, GroupMatched, MatchEvent, RoundKind
from shared.life_events import MatchFeedbackRequested, life_event_id
from shared.pagination import PageRequest
from shared.vocabulary.codes import ClosingReason

COURSE_TIMERS = frozenset({TimerKind.SESSION_DUE, TimerKind.END, TimerKind.FEEDBACK_REMINDER})


def schedule_courses(
    store: Store, kind: RoundKind, params: Parameters, published: Sequence[MatchEvent],
    now: datetime,
) -> None:  # fmt: skip
    """Inside the publication's transaction: each match's course and its timers."""
    if kind not in ANSWERED_KINDS:
        return
    start: date = getattr(params, "start", None) or now.date()
    end = add_months(start, int(getattr(params, "duration_months", 6)))
    rhythm = getattr(params, "rhythm_weeks", None) if kind == "groups" else None
    found = []
    for e in published:
        facilitator = e.facilitator_id if isinstance(e, GroupMatched) else None
        found.append(Course(e.match_id, e.round_id, kind, tuple(e.member_ids), start, end,
                            facilitator or None, rhythm))  # fmt: skip
    store.closing.add_courses(found)
    store.closing.add_timers(
        (c.match_id, (c.facilitator_id or "") if personal else END_OF_MATCH, t)
        for c in found
        for personal, t in course_timers(c.ends_on, c.due_sessions(), SESSION_GRACE_DAYS)
        if c.facilitator_id or not personal
    )


def _course(store: Store, match_id: str) -> Course:
    found = store.closing.course(match_id)
    if found is None:
        raise MatchNotFound(match_id=match_id)
    return found


def course(uow: UnitOfWork, match_id: str, member_id: str | None) -> Course:
    """The course of a match, for one of its people (or a coordinator: ``None``)."""
    with uow.begin() as store:
        found = _course(store, match_id)
    if member_id is not None and member_id not in found.people():
        raise MatchNotFound(match_id=match_id)
    return found


def record_session(
    uow: UnitOfWork, match_id: str, by: str, day: date, came: Sequence[str], now: datetime
) -> Course:
    with uow.begin() as store:
        found = _course(store, match_id)
        recorded = found.record_session(by, day, tuple(came), now)
        if recorded:
            store.closing.save_course(found)
            store.life.add_events(recorded)
    return found


def _close(store: Store, found: Course, reason: ClosingReason, now: datetime) -> list[Event]:
    """Close, survey everyone not asked yet, and date the history from now."""
    recorded = found.close(reason, now)
    if not recorded or not store.closing.claim_closing(found):
        return []
    asked = [Feedback(found.match_id, m, now) for m in found.people()]
    store.closing.request_feedback(asked)
    store.closing.add_timers((f.match_id, f.member_id, t) for f in asked
                             for t in feedback_reminders(now))  # fmt: skip
    store.closing.save_course(found)
    store.closing.refresh_history(found, now)
    for f in asked:
        recorded.append(_request(found, f.member_id, 0, now))
    return recorded


def _request(found: Course, member_id: str, n: int, now: datetime) -> Event:
    return MatchFeedbackRequested(
        match_id=found.match_id, round_id=found.round_id, kind=found.kind, member_id=member_id,
        producer=SERVICE, occurred_at=now, reminder=n,
        event_id=life_event_id(found.match_id, member_id, "feedback_requested", n),
    )  # fmt: skip


def close(uow: UnitOfWork, match_id: str, now: datetime) -> Course:
    """A coordinator closes the match before its end (closing twice changes nothing)."""
    with uow.begin() as store:
        found = _course(store, match_id)
        store.life.add_events(_close(store, found, ClosingReason.COORDINATOR, now))
    return found


def give_feedback(
    uow: UnitOfWork, match_id: str, member_id: str, satisfaction: int, recommend: bool,
    comment: str, now: datetime,
) -> Feedback:  # fmt: skip
    with uow.begin() as store:
        found = _course(store, match_id)
        mine = store.closing.feedback(match_id, member_id)
        if mine is None:
            if member_id not in found.people():
                raise MatchNotFound(match_id=match_id)
            raise AnswerRefused("feedback_not_open", match_id=match_id)
        recorded = mine.answer(found, satisfaction, recommend, comment, now)
        if recorded:
            store.closing.save_feedback(mine)
            store.life.add_events(recorded)
    return mine


def feedback_of(uow: UnitOfWork, match_id: str, member_id: str | None) -> list[Feedback]:
    """One person's survey (``member_id``), or all of a match's (HR: ``None``)."""
    with uow.begin() as store:
        _course(store, match_id)
        if member_id is None:
            return store.closing.of_course(match_id)
        mine = store.closing.feedback(match_id, member_id)
    return [mine] if mine else []


def round_feedback(uow: UnitOfWork, round_id: str, page: PageRequest) -> tuple[list[Feedback], int]:
    """HR: one page of every survey of a round's matches, comments included."""
    with uow.begin() as store:
        store.rounds.require(round_id)
        return store.closing.of_round(round_id, page)


def on_course_timer(store: Store, claimed: Claimed, now: datetime) -> None:
    """What a course timer does when it fires (nothing once the match is gone)."""
    found = store.closing.course(claimed.match_id)
    if found is None:
        return
    if claimed.kind == TimerKind.END:
        recorded = _close(store, found, ClosingReason.COMPLETED, now)
    elif claimed.kind == TimerKind.SESSION_DUE:
        recorded = found.session_reminder(claimed.n, now)
    else:
        mine = store.closing.feedback(claimed.match_id, claimed.member_id)
        pending = mine is not None and mine.answered_at is None
        recorded = [_request(found, claimed.member_id, claimed.n, now)] if pending else []
    store.life.add_events(recorded)
