"""A match's course over HTTP: a group's sessions, the closing survey, closing.

Members see the course of their own matches; only a group's facilitator records its
sessions; each person answers their own survey. The survey's comments are for HR: a
coordinator reads them, nobody else, and no event carries them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.matcher.api.deps import Coordinator, CurrentPrincipal, Now, Uow, notify_timers
from services.matcher.api.schemas import (
    CoursePublic,
    FeedbackPublic,
    FeedbackRequest,
    SessionRequest,
)
from services.matcher.service_layer import closing
from shared.pagination import Page, Paging
from shared.problems import problem_responses

router = APIRouter(tags=["course"])


@router.get("/me/matches/{match_id}/course", responses=problem_responses(401, 404))
def my_course(match_id: str, uow: Uow, me: CurrentPrincipal) -> CoursePublic:
    """The course of one of my matches: dates, rhythm, recorded sessions, closing."""
    return CoursePublic.of(closing.course(uow, match_id, me.subject))


@router.post("/me/matches/{match_id}/sessions", responses=problem_responses(401, 404, 409, 422))
def record_session(
    match_id: str, body: SessionRequest, request: Request, uow: Uow, me: CurrentPrincipal,
    clock: Now,
) -> CoursePublic:  # fmt: skip
    """The facilitator records a session (its day, who came); the same record again is a no-op."""
    found = closing.record_session(uow, match_id, me.subject, body.session_date,
                                   body.attendee_ids, clock.now())  # fmt: skip
    notify_timers(request)
    return CoursePublic.of(found)


@router.get("/me/matches/{match_id}/feedback", responses=problem_responses(401, 404))
def my_feedback(match_id: str, uow: Uow, me: CurrentPrincipal) -> list[FeedbackPublic]:
    """My closing survey (empty until it is asked)."""
    return [FeedbackPublic.of(f) for f in closing.feedback_of(uow, match_id, me.subject)]


@router.post("/me/matches/{match_id}/feedback", responses=problem_responses(401, 404, 409, 422))
def give_feedback(
    match_id: str, body: FeedbackRequest, request: Request, uow: Uow, me: CurrentPrincipal,
    clock: Now,
) -> FeedbackPublic:  # fmt: skip
    """Answer the closing survey once it is asked; an answer is final."""
    mine = closing.give_feedback(uow, match_id, me.subject, body.satisfaction,
                                 body.would_recommend, body.comment, clock.now())  # fmt: skip
    notify_timers(request)
    return FeedbackPublic.of(mine)


@router.get("/matches/{match_id}/course", responses=problem_responses(401, 403, 404))
def course(match_id: str, uow: Uow, _: Coordinator) -> CoursePublic:
    return CoursePublic.of(closing.course(uow, match_id, None))


@router.get("/matches/{match_id}/feedback", responses=problem_responses(401, 403, 404))
def feedback(match_id: str, uow: Uow, _: Coordinator) -> list[FeedbackPublic]:
    """HR: every survey of the match, comments included."""
    return [FeedbackPublic.of(f) for f in closing.feedback_of(uow, match_id, None)]


@router.get("/rounds/{round_id}/feedback", responses=problem_responses(401, 403, 404, 422))
def round_feedback(round_id: str, uow: Uow, _: Coordinator, paging: Paging) -> Page[FeedbackPublic]:
    """HR: the surveys of every match of the round, a page at a time (by match, then
    member), comments included; a survey asked and not answered yet has no figures."""
    found, total = closing.round_feedback(uow, round_id, paging)
    return Page.of([FeedbackPublic.of(f) for f in found], total, paging)


@router.post("/matches/{match_id}/close", responses=problem_responses(401, 403, 404))
def close(match_id: str, request: Request, uow: Uow, _: Coordinator, clock: Now) -> CoursePublic:
    """Close the match before its end: it is archived and everyone is surveyed."""
    found = closing.close(uow, match_id, clock.now())
    notify_timers(request)
    return CoursePublic.of(found)
