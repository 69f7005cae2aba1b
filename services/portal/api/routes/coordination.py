"""The coordinators' area: members, one member, the HR import, the catalogues."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal.api.deps import AsCoordinator, CoordinatorUser, check_csrf, render
from services.portal.domain.errors import PageNotFound, Refused
from services.portal.domain.member_filters import OPT_INS, STATUSES, MemberQuery
from services.portal.service_layer import coordination as uc

router = APIRouter(prefix="/coordination", tags=["coordination"],
                   dependencies=[Depends(check_csrf)])  # fmt: skip
CATALOGUES = ("skills", "themes")


@router.get("", response_class=HTMLResponse)
def coordination_home(request: Request, _: CoordinatorUser) -> Response:
    return render(request, "coordination.html")


@router.get("/membres", response_class=HTMLResponse)
async def members(request: Request, c: AsCoordinator, site: str = "", function: str = "",
                  opt_in: str = "", newcomers: str = "", offset: int = 0,
                  status: str = "") -> Response:  # fmt: skip
    query = MemberQuery.of(site, function, opt_in, newcomers, offset, status)
    found = await uc.members(c, query, date.today())
    return render(request, "coord_membres.html", query=query, listing=found, opt_ins=OPT_INS,
                  statuses=STATUSES)  # fmt: skip


@router.get("/membres/{member_id}", response_class=HTMLResponse)
async def member(request: Request, member_id: str, c: AsCoordinator) -> Response:
    return render(request, "coord_membre.html", member=await c.member(member_id))


@router.get("/membres/{member_id}/depart", response_class=HTMLResponse)
async def confirm_leave(request: Request, member_id: str, c: AsCoordinator,
                        done: str = "") -> Response:  # fmt: skip
    """What marking the member as having left does, the date and the button (or, once
    they left, the day, read-only); opening it changes nothing."""
    return render(request, "coord_depart.html", member=await c.member(member_id),
                  today=date.today().isoformat(), sent="", refused=None,
                  done=done if done in uc.LEAVE_OUTCOMES else "")  # fmt: skip


@router.post("/membres/{member_id}/depart", response_class=HTMLResponse)
async def leave(request: Request, member_id: str, c: AsCoordinator,
                left_on: Annotated[str, Form()] = "") -> Response:  # fmt: skip
    try:
        done = await uc.mark_left(c, member_id, left_on.strip())
    except Refused as refused:
        return render(request, "coord_depart.html", refused.upstream_status,
                      member=await c.member(member_id), today=date.today().isoformat(),
                      sent=left_on, refused=refused, done="")  # fmt: skip
    return RedirectResponse(f"/coordination/membres/{member_id}/depart?done={done}",
                            status_code=303)  # fmt: skip


@router.get("/import", response_class=HTMLResponse)
async def import_page(request: Request, c: AsCoordinator) -> Response:
    columns = (await c.download("/members/import/columns")).json()
    return render(request, "coord_import.html", columns=columns, report=None)


@router.post("/import", response_class=HTMLResponse)
async def import_members(request: Request, c: AsCoordinator, file: Annotated[UploadFile, File()],
                         mode: Annotated[str, Form()] = "all_or_nothing") -> Response:  # fmt: skip
    mode = mode if mode in ("all_or_nothing", "keep_valid") else "all_or_nothing"
    report = await uc.import_members(c, file.filename or "", await file.read(), mode)
    columns = (await c.download("/members/import/columns")).json()
    status = 200 if report.get("committed") or not report.get("errors") else 422
    return render(request, "coord_import.html", status, columns=columns, report=report)


@router.get("/import/modele-membres.csv")
async def import_template(c: AsCoordinator) -> Response:
    found = await c.download("/members/import/template")
    return Response(
        found.content,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="modele-membres.csv"'},
    )


def _which(which: str) -> str:
    if which not in CATALOGUES:
        raise PageNotFound()
    return which


@router.get("/catalogues/{which}", response_class=HTMLResponse)
async def catalogue(request: Request, which: str, c: AsCoordinator, offset: int = 0,
                    done: str = "") -> Response:  # fmt: skip
    found = await uc.catalogue(c, _which(which), offset)
    return render(request, "coord_catalogue.html", which=which, listing=found, done=done,
                  refused=None, report=None)  # fmt: skip


async def _catalogue_refused(request: Request, c: AsCoordinator, which: str,
                             refused: Refused) -> Response:  # fmt: skip
    found = await uc.catalogue(c, which, 0)
    return render(request, "coord_catalogue.html", refused.upstream_status, which=which,
                  listing=found, done="", refused=refused, report=refused.report)  # fmt: skip


@router.post("/catalogues/{which}", response_class=HTMLResponse)
async def create_entry(request: Request, which: str, c: AsCoordinator) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await c.create_entry(_which(which), uc.entry_body(form, creating=True))
    except Refused as refused:
        return await _catalogue_refused(request, c, which, refused)
    return RedirectResponse(f"/coordination/catalogues/{which}?done=created", status_code=303)


@router.post("/catalogues/{which}/{code}", response_class=HTMLResponse)
async def update_entry(request: Request, which: str, code: str, c: AsCoordinator) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await c.update_entry(_which(which), code, uc.entry_body(form, creating=False))
    except Refused as refused:
        return await _catalogue_refused(request, c, which, refused)
    return RedirectResponse(f"/coordination/catalogues/{which}?done=updated", status_code=303)


@router.post("/catalogues/{which}/import/csv", response_class=HTMLResponse)
async def import_entries(request: Request, which: str, c: AsCoordinator,
                         file: Annotated[UploadFile, File()]) -> Response:  # fmt: skip
    try:
        report = await c.import_entries(_which(which), file.filename or "", await file.read())
    except Refused as refused:
        return await _catalogue_refused(request, c, which, refused)
    found = await uc.catalogue(c, which, 0)
    return render(request, "coord_catalogue.html", which=which, listing=found, done="imported",
                  refused=None, report=report)  # fmt: skip
