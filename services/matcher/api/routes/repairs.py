"""Minimal-change repair of a published round, for coordinators (issue 12)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.matcher.api.deps import Coordinator, Uow, notify_worker
from services.matcher.api.schemas import RepairReport, RepairRequest, RepairsPublic
from services.matcher.domain.erasure import ERASED
from services.matcher.service_layer import repairs, rounds
from shared.problems import problem_responses

router = APIRouter(tags=["repairs"])


@router.post("/rounds/{round_id}/repair", responses=problem_responses(401, 403, 404, 409, 422))
def repair(
    round_id: str, body: RepairRequest, request: Request, uow: Uow, who: Coordinator
) -> RepairReport:
    """Repair a published round: every match without a departed member is kept; only
    the people whose match changed are announced again."""
    outcome = repairs.repair_round(
        uow, round_id, set(body.departed), body.reason, who.subject, body.held_rotations
    )
    notify_worker(request)
    return RepairReport.model_validate(outcome.report)


@router.get("/rounds/{round_id}/repairs", responses=problem_responses(401, 403, 404))
def read_repairs(round_id: str, uow: Uow, _: Coordinator) -> RepairsPublic:
    """Who left the round (recorded departures) and what each repair changed."""
    found = rounds.get_round(uow, round_id)
    departures, reports = repairs.departures(uow, round_id)
    return RepairsPublic(
        revision=found.revision,
        auto_repair=found.parameters.auto_repair,
        departures=[d for d in departures if d["member_id"] != ERASED],
        repairs=[r["report"] for r in reports],
    )  # type: ignore[arg-type]
