"""Sign-in by e-mail link, sign-out, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.portal.api.deps import (
    Lang,
    SignInContext,
    check_csrf,
    close_session,
    open_session,
    render,
    signed_in_user,
)
from services.portal.api.schemas import LinkConfirmation, SignInRequest
from services.portal.domain.session import NotInNetwork
from services.portal.service_layer import sign_in

router = APIRouter(tags=["sign-in"], dependencies=[Depends(check_csrf)])


@router.get("/connexion", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    if signed_in_user(request) is not None:
        return RedirectResponse("/", status_code=303)
    return render(request, "connexion.html", sso=request.app.state.oidc is not None)


@router.post("/connexion", response_class=HTMLResponse)
async def ask_for_link(
    request: Request, form: Annotated[SignInRequest, Form()], ctx: SignInContext, lang: Lang
) -> Response:
    client = request.client.host if request.client else "?"
    await sign_in.request_link(ctx, form.email, client, lang)
    return render(request, "connexion_envoyee.html", email=form.email)


@router.get("/connexion/lien", response_class=HTMLResponse)
def confirm_link_page(request: Request, ctx: SignInContext, jeton: str = "") -> Response:
    state = sign_in.link_state(ctx, jeton)
    if state != "valid":
        return render(request, "lien_invalide.html", 410, state=state)
    return render(request, "lien.html", jeton=jeton)


@router.post("/connexion/lien", response_class=HTMLResponse)
async def use_link(
    request: Request, form: Annotated[LinkConfirmation, Form()], ctx: SignInContext
) -> Response:
    who = await sign_in.consume_link(ctx, form.jeton)
    if isinstance(who, NotInNetwork):
        return render(request, "hors_reseau.html", 403)
    open_session(request, who)
    return RedirectResponse("/", status_code=303)


@router.post("/deconnexion")
def sign_out(request: Request) -> Response:
    close_session(request)
    return RedirectResponse("/connexion", status_code=303)


@router.get("/langue")
def switch_language(request: Request, vers: str = "fr", retour: str = "/") -> Response:
    """Choose the pages' language (a link, so it works without JavaScript)."""
    request.session["lang"] = "en" if vers == "en" else "fr"
    safe = retour if retour.startswith("/") and not retour.startswith("//") else "/"
    return RedirectResponse(safe, status_code=303)
