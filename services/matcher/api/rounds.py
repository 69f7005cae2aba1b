"""Rounds over HTTP for coordinators; members read only their own published matches."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from services.matcher import proposals, rounds
from services.matcher.schemas import AdjustmentRequest, RoundCreate, RoundPublic
from shared.web import Coordinator, CurrentPrincipal

router = APIRouter(tags=["rounds"])


@router.post("/rounds", response_model=RoundPublic, status_code=status.HTTP_201_CREATED)
def create_round(
    body: RoundCreate, request: Request, response: Response, who: Coordinator
) -> RoundPublic:
    """Start a round; the same ``client_request_id`` returns the same round (200)."""
    created_round, created = rounds.create_round(request.app.state.engine, body, who.subject)
    if not created:
        response.status_code = status.HTTP_200_OK
    request.app.state.worker.notify()
    request.app.state.relay.notify()
    return created_round


@router.get("/rounds", response_model=list[RoundPublic])
def list_rounds(
    request: Request,
    _: Coordinator,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[RoundPublic]:
    return rounds.list_rounds(request.app.state.engine, limit, offset)


@router.get("/rounds/{round_id}", response_model=RoundPublic)
def read_round(round_id: str, request: Request, _: Coordinator) -> RoundPublic:
    return rounds.get_round(request.app.state.engine, round_id)


@router.get("/rounds/{round_id}/report")
def read_report(round_id: str, request: Request, _: Coordinator) -> dict[str, Any]:
    return rounds.get_round(request.app.state.engine, round_id).report or {}


@router.get("/rounds/{round_id}/matches")
def read_matches(round_id: str, request: Request, _: Coordinator) -> list[dict[str, Any]]:
    """Every match of the proposal, each with its explanation."""
    return rounds.list_matches(request.app.state.engine, round_id)


@router.get("/rounds/{round_id}/export")
def export_round(
    round_id: str,
    request: Request,
    _: Coordinator,
    format: Literal["json", "csv"] = "json",
) -> Response:
    found = rounds.list_matches(request.app.state.engine, round_id)
    if format == "json":
        return JSONResponse(found)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["match_id", "kind", "members", "locked", "score", "details"])
    for m in found:
        score = (m["data"].get("explanation") or {}).get("score", "")
        details = json.dumps(m["data"], ensure_ascii=False)
        writer.writerow([m["id"], m["kind"], " ".join(m["members"]), m["locked"], score, details])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="round-{round_id}.csv"'},
    )


@router.post("/rounds/{round_id}/adjustments", response_model=RoundPublic)
def adjust(round_id: str, body: AdjustmentRequest, request: Request, _: Coordinator) -> RoundPublic:
    """Remove, swap, lock or assign members; constraints re-checked, report recomputed."""
    return proposals.adjust_round(request.app.state.engine, round_id, body.adjustment)


@router.post("/rounds/{round_id}/publish", response_model=RoundPublic)
def publish(round_id: str, request: Request, _: Coordinator) -> RoundPublic:
    """Publish the proposal: one event per match; the pairs enter the history."""
    published = proposals.publish_round(request.app.state.engine, round_id)
    request.app.state.relay.notify()
    return published


@router.post("/rounds/{round_id}/cancel", response_model=RoundPublic)
def cancel(round_id: str, request: Request, _: Coordinator) -> RoundPublic:
    cancelled = rounds.cancel_round(request.app.state.engine, round_id)
    request.app.state.relay.notify()
    return cancelled


@router.get("/me/matches")
def my_matches(request: Request, me: CurrentPrincipal) -> list[dict[str, Any]]:
    """The caller's own published matches (never anyone else's)."""
    return rounds.member_matches(request.app.state.engine, me.subject)
