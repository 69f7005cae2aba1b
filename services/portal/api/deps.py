"""Dependencies of the portal's pages: language, session, CSRF, rendering, services.

Every form carries the session's CSRF token in a hidden ``csrf_token`` field;
:func:`check_csrf` (a dependency of every router) refuses any POST without it.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from services.portal.adapters.coordination import Coordination
from services.portal.adapters.services import Person, Services
from services.portal.domain.errors import CoordinatorsOnly, CsrfRefused, NotSignedIn
from services.portal.domain.session import SessionUser, expired
from services.portal.service_layer.sign_in import SignIn
from shared.settings import Settings
from shared.vocabulary import Language, as_language, negotiate, translate

CSRF_FIELD = "csrf_token"


def language(request: Request) -> Language:
    """The session's chosen language, else the browser's, else French."""
    chosen = request.session.get("lang")
    if chosen:
        return as_language(str(chosen))
    return negotiate(request.headers.get("accept-language"))


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    """A POST must send back the session's CSRF token, or it is refused (403)."""
    if request.method != "POST":
        return
    sent = (await request.form()).get(CSRF_FIELD)
    expected = request.session.get("csrf")
    if not (isinstance(sent, str) and isinstance(expected, str)):
        raise CsrfRefused()
    if not secrets.compare_digest(sent.encode(), expected.encode()):
        raise CsrfRefused()


def signed_in_user(request: Request) -> SessionUser | None:
    """The person of this session, or ``None`` (none, malformed, or expired)."""
    user = SessionUser.from_dict(request.session.get("user"))
    opened = request.session.get("opened_at")
    settings: Settings = request.app.state.settings
    if user is None or not isinstance(opened, int | float):
        return None
    if expired(float(opened), time.time(), settings.session_max_age_s):
        request.session.clear()
        return None
    return user


def current_user(request: Request) -> SessionUser:
    user = signed_in_user(request)
    if user is None:
        raise NotSignedIn()
    return user


def coordinator(user: Annotated[SessionUser, Depends(current_user)]) -> SessionUser:
    if not user.is_coordinator:
        raise CoordinatorsOnly()
    return user


def open_session(request: Request, user: SessionUser) -> None:
    """Start a fresh session for ``user`` (a new CSRF token; the language is kept)."""
    lang = request.session.get("lang")
    request.session.clear()
    request.session.update(user=user.to_dict(), opened_at=time.time())
    if lang:
        request.session["lang"] = lang
    csrf_token(request)


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def sign_in_context(request: Request) -> SignIn:
    found: SignIn = request.app.state.sign_in
    return found


Lang = Annotated[Language, Depends(language)]
User = Annotated[SessionUser, Depends(current_user)]
CoordinatorUser = Annotated[SessionUser, Depends(coordinator)]
SignInContext = Annotated[SignIn, Depends(sign_in_context)]


def person(request: Request, user: User, lang: Lang) -> Person:
    """The services, called as the signed-in person."""
    return services(request).as_person(user, lang)


AsPerson = Annotated[Person, Depends(person)]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page in the reader's language, with what the layout needs."""
    lang = language(request)
    templates: Jinja2Templates = request.app.state.templates
    page = {
        "lang": lang,
        "other_lang": "en" if lang == "fr" else "fr",
        "t": lambda code, **params: translate(code, lang, **params),
        "user": signed_in_user(request),
        "csrf_token": csrf_token(request),
        "path": request.url.path,
        **context,
    }
    return templates.TemplateResponse(request, template, page, status_code=status_code)


def as_coordinator(request: Request, user: CoordinatorUser, lang: Lang) -> Coordination:
    """The services, called as the signed-in coordinator (403 page for anyone else)."""
    return Coordination(services(request), user, lang)


AsCoordinator = Annotated[Coordination, Depends(as_coordinator)]
