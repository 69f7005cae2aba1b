"""The member pages: home, profile, matches, messages, my data and erasure."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal.api.deps import AsPerson, User, check_csrf, forget_session, render
from services.portal.domain.errors import ProfileRejected
from services.portal.domain.profile_form import CHANNELS, EXTRA_ROWS, HR_FIELDS, OPT_INS
from services.portal.service_layer import member_pages

router = APIRouter(tags=["member"], dependencies=[Depends(check_csrf)])


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, user: User, person: AsPerson) -> Response:
    found = await member_pages.home(person, user.is_member)
    return render(request, "accueil.html", home=found)


def _profile_context(page: member_pages.ProfilePage) -> dict[str, Any]:
    return {
        "member": page.member, "skills": page.skills, "hr_fields": HR_FIELDS,
        "opt_ins": OPT_INS, "channels": CHANNELS, "extra_rows": EXTRA_ROWS,
    }  # fmt: skip


@router.get("/profil", response_class=HTMLResponse)
async def profile(request: Request, _: User, person: AsPerson) -> Response:
    page = await member_pages.profile(person)
    return render(request, "profil.html", **_profile_context(page), errors={}, saved=False)


@router.post("/profil", response_class=HTMLResponse)
async def save_profile(request: Request, _: User, person: AsPerson) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    checked = {k for k, v in values.items() if v == "on"}
    try:
        await member_pages.save_profile(person, values, checked)
    except ProfileRejected as refused:
        page = await member_pages.profile(person)
        errors: dict[str, list[tuple[str, dict[str, object]]]] = {}
        for e in refused.field_errors:
            errors.setdefault(e.field, []).append((e.code, dict(e.params)))
        return render(request, "profil.html", 422, **_profile_context(page), errors=errors,
                      saved=False)  # fmt: skip
    page = await member_pages.profile(person)
    return render(request, "profil.html", **_profile_context(page), errors={}, saved=True)


@router.get("/mises-en-relation", response_class=HTMLResponse)
async def matches(request: Request, _: User, person: AsPerson) -> Response:
    return render(request, "mises_en_relation.html", matches=await person.my_matches())


@router.get("/messages", response_class=HTMLResponse)
async def inbox(request: Request, _: User, person: AsPerson) -> Response:
    return render(request, "messages.html", entries=await person.inbox())


@router.post("/messages/{entry_id}/lu")
async def mark_read(entry_id: str, _: User, person: AsPerson) -> Response:
    await person.mark_read(entry_id)
    return RedirectResponse("/messages", status_code=303)


@router.get("/mes-donnees", response_class=HTMLResponse)
def my_data(request: Request, _: User) -> Response:
    return render(request, "mes_donnees.html")


@router.get("/mes-donnees/export")
async def download_export(_: User, person: AsPerson) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="mes-donnees-entraide.json"'}
    return Response(await member_pages.export(person), media_type="application/json",
                    headers=headers)  # fmt: skip


@router.get("/mes-donnees/effacement", response_class=HTMLResponse)
def erase_page(request: Request, _: User) -> Response:
    return render(request, "effacement.html")


@router.post("/mes-donnees/effacement", response_class=HTMLResponse)
async def erase(request: Request, user: User, person: AsPerson) -> Response:
    await member_pages.erase(person)
    accounts = request.app.state.sign_in.identities, request.app.state.sessions
    member_pages.forget_accounts(*accounts, user.member_id)
    forget_session(request)
    return render(request, "efface.html")
