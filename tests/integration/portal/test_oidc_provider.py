"""The test OpenID Connect provider behaves like a real one: code flow with PKCE S256,
client authentication, redirect URI checks, and an RS256 id_token its JWKS verifies."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc_provider import OidcProvider, Person

REDIRECT = "http://127.0.0.1:9/auth/oidc/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    with OidcProvider(redirect_uris=[REDIRECT]) as running:
        yield running


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(provider: OidcProvider, challenge: str, nonce: str = "n-1") -> str:
    answer = httpx.get(provider.issuer + "/authorize", params={
        "response_type": "code", "client_id": provider.client_id, "redirect_uri": REDIRECT,
        "scope": "openid email profile", "state": "s-1", "nonce": nonce,
        "code_challenge": challenge, "code_challenge_method": "S256"})  # fmt: skip
    assert answer.status_code == 302, answer.text
    query = parse_qs(urlsplit(answer.headers["location"]).query)
    assert query["state"] == ["s-1"]
    return query["code"][0]


def exchange(
    provider: OidcProvider, code: str, verifier: str, secret: str = "", **changes: str
) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "code_verifier": verifier, **changes}  # fmt: skip
    auth = (provider.client_id, secret or provider.client_secret)
    return httpx.post(provider.issuer + "/token", data=form, auth=auth)


def test_the_provider_signs_an_id_token_with_the_person_s_claims_that_its_jwks_verifies(
    provider: OidcProvider,
) -> None:
    provider.person = Person("sub-42", "ada@example.org", employee_id="E-42")
    discovery = httpx.get(provider.issuer + "/.well-known/openid-configuration").json()
    assert discovery["issuer"] == provider.issuer
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    verifier, challenge = pkce()
    token = exchange(provider, authorize(provider, challenge, nonce="n-42"), verifier)
    assert token.status_code == 200, token.text
    keys = KeySet.import_key_set(httpx.get(discovery["jwks_uri"]).json())
    claims = jwt.decode(token.json()["id_token"], keys, algorithms=["RS256"]).claims
    assert claims["iss"] == provider.issuer and claims["aud"] == [provider.client_id]
    assert claims["sub"] == "sub-42" and claims["nonce"] == "n-42"
    assert claims["email"] == "ada@example.org" and claims["email_verified"] is True
    assert claims["employee_id"] == "E-42" and claims["exp"] > claims["iat"]
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert httpx.get(provider.issuer + "/userinfo", headers=auth).json()["sub"] == "sub-42"


def test_the_provider_refuses_a_wrong_verifier_secret_or_redirect_uri_and_a_reused_code(
    provider: OidcProvider,
) -> None:
    verifier, challenge = pkce()
    code = authorize(provider, challenge)
    assert exchange(provider, code, "x" * 50).json()["error"] == "invalid_grant"
    assert exchange(provider, code, verifier, secret="wrong").status_code == 401
    other = exchange(provider, code, verifier, redirect_uri="http://127.0.0.1:9/ailleurs")
    assert other.json()["error"] == "invalid_grant"
    assert exchange(provider, code, verifier).status_code == 200
    assert exchange(provider, code, verifier).json()["error"] == "invalid_grant"


def test_the_provider_requires_pkce_and_never_redirects_to_an_unknown_uri(
    provider: OidcProvider,
) -> None:
    plain = httpx.get(provider.issuer + "/authorize", params={
        "response_type": "code", "client_id": provider.client_id, "redirect_uri": REDIRECT,
        "scope": "openid", "state": "s", "nonce": "n"})  # fmt: skip
    assert plain.status_code == 302 and "error=invalid_request" in plain.headers["location"]
    elsewhere = httpx.get(provider.issuer + "/authorize", params={
        "response_type": "code", "client_id": provider.client_id,
        "redirect_uri": "http://evil.example/cb", "scope": "openid", "state": "s"})  # fmt: skip
    assert elsewhere.status_code == 400
