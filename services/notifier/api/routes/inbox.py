"""In-app inbox over HTTP: a member reads only their own entries."""

from __future__ import annotations

from fastapi import APIRouter, status

from services.notifier.api.deps import CurrentPrincipal, DbEngine, Paging
from services.notifier.api.schemas import InboxEntryPublic
from services.notifier.service_layer import inbox
from shared.pagination import Page
from shared.problems import problem_responses

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("", response_model=Page[InboxEntryPublic], responses=problem_responses(401))
def list_inbox(
    engine: DbEngine, principal: CurrentPrincipal, page: Paging
) -> Page[InboxEntryPublic]:
    return inbox.inbox(engine, principal.subject, page)


@router.post(
    "/{entry_id}/read",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404),
)
def mark_read(entry_id: str, engine: DbEngine, principal: CurrentPrincipal) -> None:
    inbox.mark_read(engine, principal.subject, entry_id)
