"""Sign-in through the company's OpenID Connect provider (when one is configured)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.adapters.oidc import OidcSignIn
from services.portal.api.deps import SignInContext, open_session, render
from services.portal.domain.errors import PageNotFound
from services.portal.domain.session import NotInNetwork
from services.portal.service_layer.oidc_sign_in import open_session_for_identity
from shared.settings import Settings

router = APIRouter(prefix="/auth/oidc", tags=["sign-in"])

CALLBACK = "/auth/oidc/callback"


def oidc_client(request: Request) -> OidcSignIn:
    """The configured OIDC client; without one these pages do not exist (404)."""
    found: OidcSignIn | None = request.app.state.oidc
    if found is None:
        raise PageNotFound()
    return found


Oidc = Annotated[OidcSignIn, Depends(oidc_client)]


@router.get("/login")
async def oidc_login(request: Request, oidc: Oidc) -> Response:
    settings: Settings = request.app.state.settings
    return await oidc.redirect(request, settings.portal_base_url + CALLBACK)


@router.get("/callback")
async def oidc_callback(request: Request, oidc: Oidc, ctx: SignInContext) -> Response:
    identity = await oidc.identity(request)  # OidcRefused: a 400 page, no session
    who = await open_session_for_identity(ctx, identity)
    if isinstance(who, NotInNetwork):
        return render(request, "hors_reseau.html", 403)
    open_session(request, who)
    return RedirectResponse("/", status_code=303)
