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
from services.portal.service_layer import sessions
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


def _session_user(request: Request) -> SessionUser | None:
    user = SessionUser.from_dict(request.session.get("user"))
    opened = request.session.get("opened_at")
    session_id = request.session.get("sid")
    settings: Settings = request.app.state.settings
    if user is None or not isinstance(opened, int | float) or not isinstance(session_id, str):
        return None
    if expired(float(opened), time.time(), settings.session_max_age_s) or not sessions.is_open(
        request.app.state.sessions, session_id, settings.session_max_age_s
    ):
        forget_session(request)
        return None
    return user


def signed_in_user(request: Request) -> SessionUser | None:
    """The person of this session, or ``None`` (none, malformed, expired, or ended on
    the server), looked up once per request."""
    if not hasattr(request.state, "user"):
        request.state.user = _session_user(request)
    found: SessionUser | None = request.state.user
    return found


def current_user(request: Request) -> SessionUser:
    user = signed_in_user(request)
    if user is None:
        raise NotSignedIn()
    return user


def coordinator(user: Annotated[SessionUser, Depends(current_user)]) -> SessionUser:
    if not user.is_coordinator:
        raise CoordinatorsOnly()
    return user


def forget_session(request: Request) -> None:
    """Empty the cookie's session (the language is kept)."""
    lang = request.session.get("lang")
    request.session.clear()
    if lang:
        request.session["lang"] = lang
    request.state.user = None


def open_session(request: Request, user: SessionUser) -> None:
    """Start a fresh session for ``user`` (a new id and CSRF token; the language is kept)."""
    settings: Settings = request.app.state.settings
    session_id = sessions.open_session(
        request.app.state.sessions, user.member_id, settings.session_max_age_s
    )
    forget_session(request)
    request.session.update(user=user.to_dict(), opened_at=time.time(), sid=session_id)
    request.state.user = user
    csrf_token(request)


def close_session(request: Request) -> None:
    """Sign out: the session ends on the server, then in the cookie."""
    session_id = request.session.get("sid")
    if isinstance(session_id, str):
        sessions.end_session(request.app.state.sessions, session_id)
    forget_session(request)


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
