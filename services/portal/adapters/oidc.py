"""The portal's OpenID Connect client (Authlib's Starlette integration over httpx).

Authorization code with PKCE S256; Authlib keeps the state, the nonce and the code
verifier in the session and checks them on the way back, then verifies the id_token's
signature against the provider's JWKS (from discovery), its issuer (pinned to
``ENTRAIDE_OIDC_ISSUER``), audience, expiry and nonce. Off when the issuer is empty.
"""

from __future__ import annotations

import logging

import httpx
from authlib.integrations.base_client import OAuthError
from authlib.integrations.starlette_client import OAuth
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from services.portal.domain.identity import OidcRefused, ProvedIdentity, ProviderUnreachable
from shared.settings import Settings

log = logging.getLogger("entraide.portal.oidc")

NAME = "entreprise"
SCOPE = "openid email profile"


class OidcSignIn:
    """Sign-in through the company's identity provider."""

    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer.rstrip("/")
        self._oauth = OAuth()
        self._client = self._oauth.register(
            NAME,
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "timeout": 10},
        )

    async def redirect(self, request: Request, callback_url: str) -> Response:
        """The redirection to the provider (state, nonce and verifier kept in session), or
        :class:`ProviderUnreachable` when its discovery document cannot be read."""
        try:
            response: Response = await self._client.authorize_redirect(request, callback_url)
        except httpx.HTTPError as exc:
            log.warning("OIDC provider unreachable (discovery): %s", type(exc).__name__)
            raise ProviderUnreachable() from exc
        return response

    async def identity(self, request: Request) -> ProvedIdentity:
        """Check the provider's answer and return who it proved, or :class:`OidcRefused`."""
        try:
            token = await self._client.authorize_access_token(
                request, claims_options={"iss": {"essential": True, "values": [self.issuer]}}
            )
        except (OAuthError, JoseError, ValueError) as exc:
            log.warning("OIDC answer refused: %s", type(exc).__name__)
            raise OidcRefused() from exc
        except httpx.HTTPError as exc:  # the provider is down: not the person's fault
            log.warning("OIDC provider unreachable (token): %s", type(exc).__name__)
            raise ProviderUnreachable() from exc
        claims = token.get("userinfo")
        if not claims:  # no id_token, or no nonce was kept: never trust the answer then
            raise OidcRefused()
        identity = ProvedIdentity.from_claims(claims)
        if not identity.subject:
            raise OidcRefused()
        return identity


def oidc_from(settings: Settings) -> OidcSignIn | None:
    """The OIDC client the settings describe, or ``None`` when SSO is not configured."""
    if not settings.oidc_issuer:
        return None
    secret = settings.oidc_client_secret.get_secret_value()
    return OidcSignIn(settings.oidc_issuer, settings.oidc_client_id, secret)
