"""In-app inbox over HTTP: a member reads only their own entries."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request, status

from services.notifier import service
from shared.web import CurrentPrincipal

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("")
def list_inbox(request: Request, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    return service.inbox(request.app.state.engine, principal.subject)


@router.post("/{entry_id}/read", status_code=status.HTTP_204_NO_CONTENT)
def mark_read(entry_id: str, request: Request, principal: CurrentPrincipal) -> None:
    if not service.mark_read(request.app.state.engine, principal.subject, entry_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Message introuvable.")
