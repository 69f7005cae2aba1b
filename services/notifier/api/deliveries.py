"""The coordinators' delivery log: who was told, who was not, and why."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from services.notifier import service
from services.notifier.errors import NotifierError
from services.notifier.schemas import DeliveryLog
from shared.web import Coordinator

router = APIRouter(prefix="/rounds", tags=["deliveries"])


@router.get("/{round_id}/deliveries", response_model=DeliveryLog)
def delivery_log(round_id: str, request: Request, _: Coordinator) -> DeliveryLog:
    try:
        return service.delivery_log(request.app.state.engine, round_id)
    except NotifierError as exc:
        raise HTTPException(exc.status_code, str(exc)) from exc
