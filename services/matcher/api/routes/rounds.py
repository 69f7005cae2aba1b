"""Rounds over HTTP for coordinators; members read only their own published matches."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from services.matcher.api.deps import Coordinator, Uow, notify_worker
from services.matcher.api.schemas import AdjustmentRequest, RoundCreate, RoundPublic, RoundReport
from services.matcher.service_layer import rounds
from shared.pagination import Page, Paging
from shared.problems import problem_responses

router = APIRouter(tags=["rounds"])


@router.post(
    "/rounds", status_code=status.HTTP_201_CREATED, responses=problem_responses(401, 403, 409, 422)
)
def create_round(
    body: RoundCreate, request: Request, response: Response, uow: Uow, who: Coordinator
) -> RoundPublic:
    """Start a round; the same ``client_request_id`` returns the same round (200)."""
    created_round, created = rounds.create_round(uow, body.to_request(), who.subject)
    if not created:
        response.status_code = status.HTTP_200_OK
    notify_worker(request)
    return RoundPublic.of(created_round)


@router.get("/rounds", responses=problem_responses(401, 403, 422))
def list_rounds(uow: Uow, _: Coordinator, paging: Paging) -> Page[RoundPublic]:
    found, total = rounds.list_rounds(uow, paging)
    return Page.of([RoundPublic.of(r) for r in found], total, paging)


@router.get("/rounds/{round_id}", responses=problem_responses(401, 403, 404))
def read_round(round_id: str, uow: Uow, _: Coordinator) -> RoundPublic:
    return RoundPublic.of(rounds.get_round(uow, round_id))


@router.get("/rounds/{round_id}/report", responses=problem_responses(401, 403, 404))
def read_report(round_id: str, uow: Uow, _: Coordinator) -> RoundReport:
    return RoundReport.model_validate(rounds.get_round(uow, round_id).report or {})


@router.post("/rounds/{round_id}/adjustments", responses=problem_responses(401, 403, 404, 409, 422))
def adjust(round_id: str, body: AdjustmentRequest, uow: Uow, _: Coordinator) -> RoundPublic:
    """Remove, swap, lock or assign members; constraints re-checked, report recomputed."""
    return RoundPublic.of(rounds.adjust_round(uow, round_id, body.adjustment.to_domain()))


@router.post("/rounds/{round_id}/publish", responses=problem_responses(401, 403, 404, 409))
def publish(round_id: str, request: Request, uow: Uow, _: Coordinator) -> RoundPublic:
    """Publish the proposal: one event per match; the pairs enter the history."""
    published = rounds.publish_round(uow, round_id, request.app.state.clock.now())
    notify_worker(request)
    return RoundPublic.of(published)


@router.post("/rounds/{round_id}/cancel", responses=problem_responses(401, 403, 404, 409))
def cancel(round_id: str, request: Request, uow: Uow, _: Coordinator) -> RoundPublic:
    cancelled = rounds.cancel_round(uow, round_id)
    notify_worker(request)
    return RoundPublic.of(cancelled)
