"""« Mon groupe » (its sessions and who came) and the closing survey, by POST forms only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal.api.deps import AsPerson, User, check_csrf, render
from services.portal.domain.course_forms import SATISFACTION
from services.portal.domain.errors import Refused
from services.portal.service_layer import course

router = APIRouter(tags=["member"], dependencies=[Depends(check_csrf)])


async def _group(request: Request, person: AsPerson, user: User, match_id: str,
                 status: int = 200, refused: str = "") -> Response:  # fmt: skip
    found = await course.group(person, match_id, user.member_id)
    recorded = {s["session_date"] for s in found.course["sessions"]}
    return render(request, "mon_groupe.html", status, course=found.course, names=found.names,
                  facilitator=found.facilitator, recorded=recorded,
                  refused=refused)  # fmt: skip


@router.get("/propositions/{match_id}/seances", response_class=HTMLResponse)
async def group_page(request: Request, match_id: str, user: User, person: AsPerson) -> Response:
    """The group's dates, its sessions due and recorded with who came; the facilitator's form."""
    return await _group(request, person, user, match_id)


@router.post("/propositions/{match_id}/seances", response_class=HTMLResponse)
async def record_session(request: Request, match_id: str, user: User, person: AsPerson) -> Response:
    form = await request.form()
    came = [str(v) for v in form.getlist("came")]
    try:
        await course.record(person, match_id, str(form.get("session_date", "")), came)
    except Refused as refused:
        return await _group(request, person, user, match_id, 409, refused.detail)
    return RedirectResponse(f"/propositions/{match_id}/seances", status_code=303)


async def _survey(request: Request, person: AsPerson, match_id: str, status: int = 200,
                  refused: str = "") -> Response:  # fmt: skip
    found, mine = await course.survey(person, match_id)
    return render(request, "avis.html", status, course=found, feedback=mine,
                  scores=SATISFACTION, refused=refused)  # fmt: skip


@router.get("/propositions/{match_id}/avis", response_class=HTMLResponse)
async def survey(request: Request, match_id: str, _: User, person: AsPerson) -> Response:
    """The closing survey (opening it, from the mail's link, changes nothing)."""
    return await _survey(request, person, match_id)


@router.post("/propositions/{match_id}/avis", response_class=HTMLResponse)
async def answer(request: Request, match_id: str, _: User, person: AsPerson) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await course.answer(person, match_id, form)
    except Refused as refused:
        return await _survey(request, person, match_id, 409, refused.detail)
    return RedirectResponse(f"/propositions/{match_id}/avis/merci", status_code=303)


@router.get("/propositions/{match_id}/avis/merci", response_class=HTMLResponse)
async def thanks(request: Request, match_id: str, _: User, person: AsPerson) -> Response:
    """The confirmation: what was recorded, and who reads the comment."""
    found, mine = await course.survey(person, match_id)
    return render(request, "avis_merci.html", course=found, feedback=mine)
