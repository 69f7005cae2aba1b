"""Sign-in through the company's OpenID Connect provider (when one is configured)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.adapters.oidc import OidcSignIn
from services.portal.api.deps import SignInContext, open_session, render
from services.portal.domain.errors import PageNotFound
from services.portal.domain.identity import ProviderUnreachable
from services.portal.domain.session import AlreadyLinked, ErasedMember, NotInNetwork
from services.portal.service_layer.oidc_sign_in import open_session_for_identity
from shared.settings import Settings

router = APIRouter(prefix="/auth/oidc", tags=["sign-in"])

CALLBACK = "/auth/oidc/callback"
#: The page (and status) for each reason a proved identity signs nobody in.
REFUSALS = {NotInNetwork: ("hors_reseau.html", 403), ErasedMember: ("profil_efface.html", 403),
            AlreadyLinked: ("deja_relie.html", 409)}  # fmt: skip


def oidc_client(request: Request) -> OidcSignIn:
    """The configured OIDC client; without one these pages do not exist (404)."""
    found: OidcSignIn | None = request.app.state.oidc
    if found is None:
        raise PageNotFound()
    return found


Oidc = Annotated[OidcSignIn, Depends(oidc_client)]


def unreachable(request: Request) -> Response:
    """The provider is down: a 503 page that offers the e-mail sign-in link."""
    return render(request, "sso_indisponible.html", 503)


@router.get("/login")
async def oidc_login(request: Request, oidc: Oidc) -> Response:
    settings: Settings = request.app.state.settings
    try:
        return await oidc.redirect(request, settings.portal_base_url + CALLBACK)
    except ProviderUnreachable:
        return unreachable(request)


@router.get("/callback")
async def oidc_callback(request: Request, oidc: Oidc, ctx: SignInContext) -> Response:
    try:
        identity = await oidc.identity(request)  # OidcRefused: a 400 page, no session
    except ProviderUnreachable:
        return unreachable(request)
    who = await open_session_for_identity(ctx, identity)
    if not isinstance(who, NotInNetwork | ErasedMember | AlreadyLinked):
        open_session(request, who)
        return RedirectResponse("/", status_code=303)
    template, status = REFUSALS[type(who)]
    return render(request, template, status)
