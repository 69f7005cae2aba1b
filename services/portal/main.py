"""Composition root of the portal: session cookies, templates, the services' clients.

The portal owns no business data: its database holds sign-in links, rate-limit
counters, identity links (OIDC issuer + subject -> member id) and open sessions
only, and every page calls profiles, matcher and notifier over HTTP as the
signed-in person. It neither consumes nor publishes events (no broker).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.templating import Jinja2Templates

from services.portal import SERVICE, db_url
from services.portal.adapters.accounts import IdentityLinks, Sessions
from services.portal.adapters.oidc import oidc_from
from services.portal.adapters.repository import RateCounters, SignInLinks
from services.portal.adapters.services import Services
from services.portal.api.deps import render
from services.portal.api.routes.auth import router as auth_router
from services.portal.api.routes.closing import router as closing_router
from services.portal.api.routes.coordination import router as coordination_router
from services.portal.api.routes.course import router as course_router
from services.portal.api.routes.health import router as health_router
from services.portal.api.routes.member import router as member_router
from services.portal.api.routes.oidc import router as oidc_router
from services.portal.api.routes.picker import router as picker_router
from services.portal.api.routes.proposals import router as proposals_router
from services.portal.api.routes.rounds import router as rounds_router
from services.portal.domain.errors import NotSignedIn
from services.portal.service_layer.sign_in import SignIn
from shared.auth import mint_token
from shared.errors import EntraideError
from shared.settings import Settings, get_settings
from shared.web import create_service_app

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
SESSION_COOKIE = "entraide_session"


def install_page_errors(app: FastAPI) -> None:
    """Errors as pages in the reader's language; not signed in -> the sign-in page."""

    async def on_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, EntraideError)
        if isinstance(exc, NotSignedIn):
            return RedirectResponse("/connexion", status_code=303)
        return render(request, "erreur.html", exc.status, code=exc.code, params=exc.params,
                      field_errors=exc.field_errors)  # fmt: skip

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = "portal.page_not_found" if exc.status_code == 404 else "portal.error"
        return render(request, "erreur.html", exc.status_code, code=code, params={},
                      field_errors=())  # fmt: skip

    async def on_invalid(request: Request, exc: Exception) -> Response:
        return render(request, "erreur.html", 422, code="portal.form_invalid", params={},
                      field_errors=())  # fmt: skip

    app.add_exception_handler(EntraideError, on_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    def mint(subject: str, roles: tuple[str, ...], ttl: int) -> str:
        return mint_token(settings, subject, roles, ttl_s=ttl)

    async def start(app: FastAPI) -> None:
        app.state.services = Services(
            mint, settings.profiles_base_url, settings.matcher_base_url,
            settings.notifier_base_url, SERVICE,
        )  # fmt: skip
        app.state.sign_in = SignIn(
            SignInLinks(app.state.engine), RateCounters(app.state.engine),
            app.state.services, settings.coordinators, settings.portal_base_url,
            IdentityLinks(app.state.engine),
        )  # fmt: skip
        app.state.sessions = Sessions(app.state.engine)

    async def stop(app: FastAPI) -> None:
        await app.state.services.aclose()

    app = create_service_app(
        service=SERVICE,
        db_url=db_url(settings),
        title="Entraide — portail",
        description="Les pages des membres et des coordinateurs, connectés en leur nom.",
        settings=settings,
        published=(),
        migrations=MIGRATIONS,
        routers=[
            auth_router,
            oidc_router,
            member_router,
            picker_router,
            proposals_router,
            course_router,
            coordination_router,
            rounds_router,
            closing_router,
            health_router,
        ],
        on_start=start,
        on_stop=stop,
        broker=False,
    )
    app.state.oidc = oidc_from(settings)  # None when SSO is not configured
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_s,
        same_site="lax",
        https_only=settings.env not in ("development", "test"),
    )
    install_page_errors(app)
    return app
