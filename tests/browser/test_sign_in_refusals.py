"""The sign-in pages that refuse someone pass axe-core in a real browser: the company's
provider down (503, with the e-mail link), a profile erased since its identity was
linked, and a profile already linked to another account of the provider.

The portal runs in this process (uvicorn, 127.0.0.1) against the test OIDC provider and
a stand-in for profiles that answers the two sign-in calls (``/members/lookup`` and
``/members/{id}``); nothing else of the stack is needed for these pages.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deploy.local.nats_server import free_port
from services.portal.main import create_app
from shared.settings import Settings
from shared.vocabulary import translate
from tests.browser.harness import assert_accessible, new_context, require_browser
from tests.oidc_provider import OidcProvider, Person

pytestmark = pytest.mark.browser


class Served:
    """An ASGI app served by uvicorn on 127.0.0.1 in a thread."""

    def __init__(self, app: Any, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class StandInProfiles:
    """Profiles' two sign-in answers, for members a test declares (and may erase)."""

    def __init__(self) -> None:
        self.members: dict[str, dict[str, str]] = {}

    async def lookup(self, request: Request) -> Response:
        email = request.query_params.get("email", "").lower()
        found = next((m for m in self.members.values() if m["email"] == email), None)
        return JSONResponse(found) if found else JSONResponse({}, 404)

    async def member(self, request: Request) -> Response:
        found = self.members.get(request.path_params["member_id"])
        return JSONResponse(found) if found else JSONResponse({}, 404)

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/members/lookup", self.lookup),
                                 Route("/members/{member_id}", self.member)])  # fmt: skip


@pytest.fixture(scope="module")
def sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, OidcProvider, Any]]:
    require_browser()
    port, profiles = free_port(), StandInProfiles()
    portal_url = f"http://127.0.0.1:{port}"
    with OidcProvider(redirect_uris=[portal_url + "/auth/oidc/callback"]) as provider, \
            Served(profiles.app(), free_port()) as fake:  # fmt: skip
        settings = Settings(
            env="test", data_dir=tmp_path_factory.mktemp("sso-pages"), portal_port=port,
            profiles_port=fake.server.config.port, matcher_port=free_port(),
            notifier_port=free_port(), oidc_issuer=provider.issuer,
            oidc_client_id=provider.client_id, oidc_client_secret=provider.client_secret,
        )  # type: ignore[arg-type]  # fmt: skip
        with Served(create_app(settings), port):
            yield portal_url, provider, profiles


def _sign_in(browser: Any, portal_url: str) -> tuple[Any, tuple[Any, Any]]:
    """Sign in through the provider in a fresh browser: its context, the page, the answer."""
    context = new_context(browser)
    page = context.new_page()
    response = page.goto(portal_url + "/auth/oidc/login")
    return context, (page, response)


def test_the_refusal_pages_of_a_linked_identity_pass_axe_core(
    sso: tuple[str, OidcProvider, Any], browser: Any
) -> None:
    portal_url, provider, profiles = sso
    fr = lambda code: translate(code, "fr")  # noqa: E731
    profiles.members["m-1"] = {"id": "m-1", "email": "ada@example.org", "display_name": "Ada"}
    provider.person = Person("sub-ada", "ada@example.org")
    context, (page, _) = _sign_in(browser, portal_url)  # links sub-ada to m-1
    context.close()

    provider.person = Person("sub-other", "ada@example.org")  # another account, same address
    context, (page, response) = _sign_in(browser, portal_url)
    try:
        assert response.status == 409 and page.locator("h1").inner_text() == fr(
            "portal.already_linked_title")  # fmt: skip
        assert_accessible(page)
    finally:
        context.close()

    del profiles.members["m-1"]  # erased since
    provider.person = Person("sub-ada", "ada@example.org")
    context, (page, response) = _sign_in(browser, portal_url)
    try:
        assert response.status == 403
        assert page.locator("h1").inner_text() == fr("portal.erased_profile_title")
        assert_accessible(page)
    finally:
        context.close()


def test_the_provider_down_page_passes_axe_core_and_offers_the_email_link(
    browser: Any, tmp_path: Path
) -> None:
    port = free_port()
    settings = Settings(env="test", data_dir=tmp_path, portal_port=port,
                        profiles_port=free_port(), oidc_issuer=f"http://127.0.0.1:{free_port()}",
                        oidc_client_id="portail", oidc_client_secret="secret")  # type: ignore[arg-type]  # fmt: skip
    with Served(create_app(settings), port):
        context = new_context(browser)
        try:
            page = context.new_page()
            response = page.goto(f"http://127.0.0.1:{port}/auth/oidc/login")
            assert response.status == 503
            assert page.locator("h1").inner_text() == translate(
                "portal.oidc_unreachable_title", "fr")  # fmt: skip
            assert page.locator("input[type=email]").count() == 1
            assert_accessible(page)
        finally:
            context.close()
