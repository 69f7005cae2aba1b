"""The coordinators' delivery log: who was told, who was not, and why."""

from __future__ import annotations

from fastapi import APIRouter

from services.notifier.api.deps import CallerLanguage, Coordinator, DbEngine, Paging
from services.notifier.api.schemas import DeliveryLog
from services.notifier.service_layer import delivery_log as log
from shared.problems import problem_responses

router = APIRouter(prefix="/rounds", tags=["deliveries"])


@router.get(
    "/{round_id}/deliveries", response_model=DeliveryLog, responses=problem_responses(401, 403, 404)
)
def delivery_log(
    round_id: str, engine: DbEngine, _: Coordinator, page: Paging, language: CallerLanguage
) -> DeliveryLog:
    return log.delivery_log(engine, round_id, page, language)
