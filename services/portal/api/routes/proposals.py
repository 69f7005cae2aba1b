"""« Ma proposition »: a member reads a published match and answers it, by POST only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal.api.deps import AsPerson, User, check_csrf, language, render
from services.portal.domain.errors import Refused
from services.portal.domain.proposal_answer import DECLINE_REASONS, FITS
from services.portal.domain.session import SessionUser
from services.portal.service_layer import proposals
from shared.vocabulary.i18n import format_date

PARIS = ZoneInfo("Europe/Paris")
router = APIRouter(tags=["member"], dependencies=[Depends(check_csrf)])


async def _show(request: Request, user: SessionUser, person: AsPerson, match_id: str,
                status: int = 200, refused: str = "") -> Response:  # fmt: skip
    found = await proposals.page(person, match_id, user.member_id)
    deadline = ""
    if found.life:
        day = datetime.fromisoformat(found.life["deadline"]).astimezone(PARIS).date()
        deadline = format_date(day, language(request))
    return render(request, "proposition.html", status, match=found.match, life=found.life,
                  partners=found.partners, reasons=DECLINE_REASONS, fits=FITS,
                  refused=refused, deadline=deadline)  # fmt: skip


@router.get("/propositions/{match_id}", response_class=HTMLResponse)
async def proposal(request: Request, match_id: str, user: User, person: AsPerson) -> Response:
    """Who, why, the deadline and the answer forms; opening it changes nothing."""
    return await _show(request, user, person, match_id)


@router.post("/propositions/{match_id}/reponse", response_class=HTMLResponse)
async def answer(request: Request, match_id: str, user: User, person: AsPerson) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await proposals.answer(person, match_id, form)
    except Refused as refused:
        return await _show(request, user, person, match_id, 409, refused.detail)
    return RedirectResponse(f"/propositions/{match_id}", status_code=303)


@router.post("/propositions/{match_id}/point", response_class=HTMLResponse)
async def check_in(request: Request, match_id: str, user: User, person: AsPerson) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        await proposals.check_in(person, match_id, form)
    except Refused as refused:
        return await _show(request, user, person, match_id, 409, refused.detail)
    return RedirectResponse(f"/propositions/{match_id}", status_code=303)
