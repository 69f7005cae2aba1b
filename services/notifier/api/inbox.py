"""In-app inbox over HTTP: a member reads only their own entries."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from services.notifier import service
from services.notifier.errors import NotifierError
from services.notifier.schemas import InboxEntry
from shared.web import CurrentPrincipal

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("", response_model=list[InboxEntry])
def list_inbox(request: Request, principal: CurrentPrincipal) -> list[InboxEntry]:
    return service.inbox(request.app.state.engine, principal.subject)


@router.post("/{entry_id}/read", status_code=status.HTTP_204_NO_CONTENT)
def mark_read(entry_id: str, request: Request, principal: CurrentPrincipal) -> None:
    try:
        service.mark_read(request.app.state.engine, principal.subject, entry_id)
    except NotifierError as exc:
        raise HTTPException(exc.status_code, str(exc)) from exc
