"""The coordinator's dashboard of the network's health, and its CSV export."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from services.portal.api.deps import AsCoordinator, render
from services.portal.service_layer import health_page as uc

router = APIRouter(prefix="/coordination", tags=["coordination"])


@router.get("/tableau-de-bord", response_class=HTMLResponse)
async def dashboard(request: Request, c: AsCoordinator, start: str = "", end: str = "",
                    site: str = "", function: str = "") -> Response:  # fmt: skip
    query = uc.HealthQuery.of(start, end, site, function)
    return render(request, "coord_sante.html", board=await uc.dashboard(c, query))


@router.get("/tableau-de-bord.csv")
async def export(c: AsCoordinator, start: str = "", end: str = "", site: str = "",
                 function: str = "") -> Response:  # fmt: skip
    found = await c.health_csv(uc.HealthQuery.of(start, end, site, function).params())
    disposition = found.headers.get("content-disposition", 'attachment; filename="sante.csv"')
    return Response(found.content, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": disposition})  # fmt: skip
