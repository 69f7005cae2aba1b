"""The life of a published match over HTTP: a member's answer and check-in, the round's view.

Members act only on their own part (the token's subject). Every change is a POST; the
same answer twice is answered 200 with nothing recorded twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from services.matcher.api.deps import (
    Coordinator,
    CurrentPrincipal,
    Now,
    Uow,
    notify_timers,
)
from services.matcher.api.schemas import (
    AnswerRequest,
    CheckinRequest,
    ClockAdvance,
    ClockPublic,
    MatchAnswersPublic,
    ParticipationPublic,
    RoundAnswers,
)
from services.matcher.domain.timers import AdjustableClock
from services.matcher.service_layer import life
from shared.errors import Forbidden
from shared.problems import problem_responses

router = APIRouter(tags=["life"])

#: At most this many ``match_id`` per request for a round's answers (a page or two).
MAX_MATCH_IDS = 500
clock_router = APIRouter(tags=["test clock"])


@router.get("/me/matches/{match_id}/life", responses=problem_responses(401, 404, 409))
def my_part(match_id: str, uow: Uow, me: CurrentPrincipal) -> ParticipationPublic:
    """My answer to this match, its deadline, and my check-in."""
    return ParticipationPublic.of(life.participation(uow, match_id, me.subject))


@router.post("/me/matches/{match_id}/answer", responses=problem_responses(401, 404, 409, 422))
def answer(
    match_id: str, body: AnswerRequest, request: Request, uow: Uow, me: CurrentPrincipal, clock: Now
) -> ParticipationPublic:
    """Accept, or decline with a reason, before the deadline. An answer is final."""
    mine = life.answer(uow, match_id, me.subject, body.accept, body.reason, clock.now())
    notify_timers(request)
    return ParticipationPublic.of(mine)


@router.post("/me/matches/{match_id}/checkin", responses=problem_responses(401, 404, 409, 422))
def check_in(
    match_id: str,
    body: CheckinRequest,
    request: Request,
    uow: Uow,
    me: CurrentPrincipal,
    clock: Now,
) -> ParticipationPublic:
    """Answer "did you meet?" once the match is accepted."""
    mine = life.check_in(uow, match_id, me.subject, body.met, body.fit, clock.now())
    notify_timers(request)
    return ParticipationPublic.of(mine)


@router.get("/rounds/{round_id}/answers", responses=problem_responses(401, 403, 404))
def round_answers(
    round_id: str,
    uow: Uow,
    _: Coordinator,
    match_id: Annotated[list[str] | None, Query(max_length=MAX_MATCH_IDS)] = None,
) -> RoundAnswers:
    """Accepted, declined, pending and unanswered: overall and per match (only the
    matches named by ``match_id``, repeated, e.g. the page a coordinator reads)."""
    total, per_match = life.round_answers(uow, round_id, match_id)
    matches = [
        MatchAnswersPublic(match_id=m.match_id, counts=dict(m.counts),
                           people=[ParticipationPublic.of(p) for p in m.people])
        for m in per_match
    ]  # fmt: skip
    return RoundAnswers(round_id=round_id, counts=dict(total), matches=matches)


def _adjustable(request: Request) -> AdjustableClock:
    clock = request.app.state.clock
    if not isinstance(clock, AdjustableClock):  # never mounted then; belt and braces
        raise Forbidden("clock_not_adjustable")
    return clock


@clock_router.get("/_test/clock", responses=problem_responses(401, 403))
def read_clock(request: Request, _: Coordinator) -> ClockPublic:
    clock = _adjustable(request)
    return ClockPublic(now=clock.now(), offset_s=clock.offset.total_seconds())


@clock_router.post("/_test/clock/advance", responses=problem_responses(401, 403, 422))
def advance_clock(body: ClockAdvance, request: Request, _: Coordinator) -> ClockPublic:
    """Tests and the demo only (ENTRAIDE_MATCHER_CLOCK=adjustable, refused in production)."""
    clock = _adjustable(request)
    clock.advance(timedelta(seconds=body.seconds))
    notify_timers(request)
    return ClockPublic(now=clock.now(), offset_s=clock.offset.total_seconds())
