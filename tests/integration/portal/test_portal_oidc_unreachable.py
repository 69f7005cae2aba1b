"""The company's identity provider is down: the portal (in-process, its own database)
answers a clear French page with a 503 and the e-mail sign-in form, never a 500.

Two ways down: nothing listens at the issuer (discovery fails), and the test provider
stopped between the redirection and the way back (the token endpoint fails)."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from deploy.local.nats_server import free_port
from services.portal.main import create_app
from shared.settings import Settings
from tests.oidc_provider import OidcProvider, Person

PORTAL = "http://portal"
CALLBACK = PORTAL + "/auth/oidc/callback"


@asynccontextmanager
async def portal(tmp_path: Path, issuer: str, client_id: str = "portail",
                 secret: str = "secret") -> AsyncIterator[httpx.AsyncClient]:  # fmt: skip
    settings = Settings(env="test", data_dir=tmp_path, profiles_port=free_port(),
                        portal_url=PORTAL, oidc_issuer=issuer, oidc_client_id=client_id,
                        oidc_client_secret=secret)  # type: ignore[arg-type]  # fmt: skip
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=PORTAL) as http:
            yield http


def assert_unreachable_page(page: httpx.Response) -> None:
    text = html.unescape(page.text)
    assert page.status_code == 503, text[:500]
    assert "L'authentification de l'entreprise ne répond pas" in text
    assert "recevez un lien de connexion par e-mail" in text
    assert 'action="/connexion"' in text and 'name="email"' in text and 'lang="fr"' in text


async def test_a_provider_whose_discovery_cannot_be_reached_gives_a_clear_503_page(
    tmp_path: Path,
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    async with portal(tmp_path, closed) as http:
        page = await http.get("/auth/oidc/login")
        assert_unreachable_page(page)
        assert (await http.get("/")).status_code == 303, "nobody is signed in"


async def test_a_provider_down_before_the_token_is_fetched_gives_a_clear_503_page(
    tmp_path: Path,
) -> None:
    provider = OidcProvider(redirect_uris=[CALLBACK]).start()
    try:
        provider.person = Person("idp-down", "ada@example.org")
        async with portal(tmp_path, provider.issuer, provider.client_id,
                          provider.client_secret) as http:  # fmt: skip
            start = await http.get("/auth/oidc/login")
            assert start.status_code == 302, start.text
            back = httpx.get(start.headers["location"])  # the provider sends the browser back
            assert back.status_code == 302 and back.headers["location"].startswith(CALLBACK)
            provider.stop()  # the token endpoint is gone when the portal calls it
            page = await http.get(back.headers["location"])
            assert_unreachable_page(page)
            assert provider.token_requests == 0
            assert (await http.get("/")).status_code == 303, "nobody is signed in"
    finally:
        provider.stop()
