"""The coordinators' area (its pages come with the coordinator part of the portal)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.api.deps import CoordinatorUser, check_csrf, render

router = APIRouter(prefix="/coordination", tags=["coordination"],
                   dependencies=[Depends(check_csrf)])  # fmt: skip


@router.get("", response_class=HTMLResponse)
def coordination_home(request: Request, _: CoordinatorUser) -> Response:
    return render(request, "coordination.html")
