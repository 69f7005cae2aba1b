"""A real OpenID Connect provider for tests, served over HTTP on 127.0.0.1.

Built from Authlib's server components (``AuthorizationServer``, the authorization
code grant, ``OpenIDCode`` and PKCE's ``CodeChallenge``), with its own RSA key: the
portal signs in against it as against a company's identity provider. There is no
login form: ``/authorize`` signs in :attr:`OidcProvider.person`, whom a test sets.

Endpoints: ``/.well-known/openid-configuration``, ``/jwks``, ``/authorize`` (code with
PKCE S256, required), ``/token`` (checks the code, the verifier, the client's id and
secret and the redirect URI; answers an RS256 ``id_token`` with ``iss, aud, sub,
email, email_verified, nonce, iat, exp`` and ``employee_id`` when the person has one)
and ``/userinfo``.

A test can make the provider misbehave (:attr:`OidcProvider.tamper`): sign the
``id_token`` with a key that is not in its JWKS, or put another nonce in it.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal
from urllib.parse import parse_qsl

import uvicorn
from authlib.oauth2 import AuthorizationServer, OAuth2Error, OAuth2Request
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, OAuth2Payload
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from joserfc.jwk import RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deploy.local.nats_server import free_port

Tamper = Literal["signature", "nonce"] | None
CLIENT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")


@dataclass
class Person:
    """Who the provider signs in: the claims it vouches for."""

    sub: str
    email: str
    email_verified: bool = True
    employee_id: str | None = None
    name: str = ""

    def claims(self, scope: str) -> UserInfo:
        info = UserInfo(sub=self.sub)
        scopes = set(scope.split())
        if "email" in scopes:
            info.update(email=self.email, email_verified=self.email_verified)
        if "profile" in scopes and self.name:
            info["name"] = self.name
        if self.employee_id:
            info["employee_id"] = self.employee_id
        return info


@dataclass
class Client(ClientMixin):
    """The one registered client (the portal): confidential, code flow only."""

    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in scope.split() if s in {"openid", "email", "profile"})

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return endpoint != "token" or method in CLIENT_AUTH_METHODS

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    person: Person
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


class RequiredS256(CodeChallenge):  # type: ignore[misc]
    """PKCE with S256 for every client, confidential ones too (Authlib asks it of public
    clients only): the portal must send a challenge, and the verifier later."""

    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required")
        super().validate_code_challenge(grant, redirect_uri)


class _Payload(OAuth2Payload):
    def __init__(self, data: dict[str, str]) -> None:
        self._data = data

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> dict[str, list[str]]:  # type: ignore[override]
        return {k: [v] for k, v in self._data.items()}


class _Request(OAuth2Request):
    """A Starlette request, read beforehand (Authlib's server is synchronous)."""

    def __init__(self, request: Request, form: dict[str, str]) -> None:
        super().__init__(request.method, str(request.url), headers=request.headers)
        self._args = dict(request.query_params)
        self._form = form
        self.payload = _Payload({**self._args, **form})

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class OidcProvider:
    """The provider: start it (a context manager), set :attr:`person`, point the portal
    at :attr:`issuer` with :attr:`client_id` and :attr:`client_secret`."""

    def __init__(self, redirect_uris: list[str] | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.client_id = "entraide-portal"
        self.client_secret = secrets.token_urlsafe(24)
        self.client = Client(self.client_id, self.client_secret, list(redirect_uris or []))
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig"})
        self.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
        self.person = Person(sub="nobody", email="nobody@example.org")
        self.tamper: Tamper = None
        self.codes: dict[str, Code] = {}
        self.access_tokens: dict[str, tuple[Person, str]] = {}
        self.token_requests = 0
        self.server = self._authorization_server()
        self._uvicorn: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    # -- Authlib's server, wired to this object -------------------------------------------
    def _authorization_server(self) -> AuthorizationServer:
        provider = self

        class Server(AuthorizationServer):  # type: ignore[misc]
            def query_client(self, client_id: str) -> Client | None:
                return provider.client if client_id == provider.client_id else None

            def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
                provider.access_tokens[token["access_token"]] = (request.user, token["scope"])

            def create_oauth2_request(self, request: OAuth2Request) -> OAuth2Request:
                return request

            def handle_response(self, status: int, body: Any, headers: Any) -> Response:
                if isinstance(body, dict):
                    return JSONResponse(body, status, headers=dict(headers))
                return Response(body, status, headers=dict(headers))

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                pass

        class Grant(AuthorizationCodeGrant):  # type: ignore[misc]
            TOKEN_ENDPOINT_AUTH_METHODS: ClassVar[list[str]] = list(CLIENT_AUTH_METHODS)

            def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
                data = request.payload.data
                provider.codes[code] = Code(
                    code=code, client_id=request.client.get_client_id(),
                    redirect_uri=data.get("redirect_uri", ""),
                    scope=request.client.get_allowed_scope(data.get("scope", "")),
                    nonce=data.get("nonce"), code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                    person=request.user,
                )  # fmt: skip

            def query_authorization_code(self, code: str, client: Client) -> Code | None:
                found = provider.codes.get(code)
                return found if found and found.client_id == client.get_client_id() else None

            def delete_authorization_code(self, authorization_code: Code) -> None:
                provider.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: Code) -> Person:
                return authorization_code.person

        class OpenID(OpenIDCode):  # type: ignore[misc]
            def resolve_client_private_key(self, client: Client) -> RSAKey:
                return provider.rogue_key if provider.tamper == "signature" else provider.key

            def get_client_algorithm(self, client: Client) -> str:
                return "RS256"

            def get_encode_header(self, client: Client) -> dict[str, str]:
                return {"alg": "RS256", "kid": "test-key-1"}

            def get_client_claims(self, client: Client) -> dict[str, Any]:
                return {"iss": provider.issuer, "aud": [client.get_client_id()]}

            def get_authorization_code_claims(self, code: Code) -> dict[str, Any]:
                claims: dict[str, Any] = super().get_authorization_code_claims(code)
                if provider.tamper == "nonce":
                    claims["nonce"] = "not-the-nonce-the-client-sent"
                return claims

            def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
                return any(c.nonce == nonce for c in provider.codes.values())

            def generate_user_info(self, user: Person, scope: str) -> UserInfo:
                return user.claims(scope)

        server = Server()
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda *args, **kwargs: secrets.token_urlsafe(32))
        )
        server.register_grant(Grant, [RequiredS256(required=True), OpenID(require_nonce=True)])
        return server

    # -- HTTP ------------------------------------------------------------------------------
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": list(CLIENT_AUTH_METHODS),
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "employee_id"],
        }

    async def _discovery(self, request: Request) -> Response:
        return JSONResponse(self.discovery())

    async def _jwks(self, request: Request) -> Response:
        return JSONResponse({"keys": [self.key.as_dict(private=False)]})

    async def _authorize(self, request: Request) -> Response:
        oauth_request = _Request(request, {})
        try:
            grant = self.server.get_consent_grant(oauth_request, end_user=self.person)
        except OAuth2Error as error:
            if error.redirect_uri:  # the client's URI, checked: the error goes back there
                refused: Response = self.server.handle_error_response(oauth_request, error)
                return refused
            return JSONResponse(dict(error.get_body()), error.status_code)  # never redirect
        response: Response = self.server.create_authorization_response(
            oauth_request, grant_user=self.person, grant=grant
        )
        return response

    async def _token(self, request: Request) -> Response:
        self.token_requests += 1
        form = dict(parse_qsl((await request.body()).decode()))
        response: Response = self.server.create_token_response(_Request(request, form))
        return response

    async def _userinfo(self, request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        found = self.access_tokens.get(token) if scheme.lower() == "bearer" else None
        if found is None:
            return JSONResponse({"error": "invalid_token"}, 401)
        person, scope = found
        return JSONResponse(dict(person.claims(scope)))

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", self._discovery),
                Route("/jwks", self._jwks),
                Route("/authorize", self._authorize),
                Route("/token", self._token, methods=["POST"]),
                Route("/userinfo", self._userinfo),
            ]
        )

    # -- lifecycle -------------------------------------------------------------------------
    def start(self, timeout: float = 20.0) -> OidcProvider:
        config = uvicorn.Config(
            self.app(), host="127.0.0.1", port=self.port, log_config=None, lifespan="off"
        )
        self._uvicorn = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._uvicorn.run, name="oidc", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._uvicorn.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test OIDC provider did not start on {self.port}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._uvicorn is not None:
            self._uvicorn.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> OidcProvider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
