"""Bearer-token authentication shared by the HTTP services.

Tokens are JWTs with ``sub`` (member id) and ``roles`` (``member``, ``coordinator``,
``service``). Locally they are HS256-signed with ``ENTRAIDE_JWT_SECRET`` (see
``entraide token``); in production an external issuer's keys are fetched from
``ENTRAIDE_JWKS_URL`` (RS256/ES256).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import jwt

from shared.settings import Settings

Role = Literal["member", "coordinator", "service"]
ROLES: tuple[Role, ...] = ("member", "coordinator", "service")


class AuthError(Exception):
    """The token is missing, malformed, expired or not signed by a trusted key."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a member id and their roles."""

    subject: str
    roles: frozenset[str]
    #: When the token was issued (``iat``, seconds since the epoch; 0 when absent).
    issued_at: float = 0.0

    @property
    def is_coordinator(self) -> bool:
        return "coordinator" in self.roles

    @property
    def is_service(self) -> bool:
        return "service" in self.roles


def mint_token(
    settings: Settings, subject: str, roles: tuple[str, ...] = ("member",), ttl_s: int = 86_400
) -> str:
    """Sign a local token (development, tests, service-to-service calls)."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    now = int(time.time())
    claims = {
        "sub": subject,
        "roles": list(roles),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_s,
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm="HS256")


@lru_cache(maxsize=4)
def _jwks_client(url: str) -> jwt.PyJWKClient:
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=600)


#: Tokens already verified: (token, what it was checked against) -> (caller, expiry).
_verified: OrderedDict[tuple[str, ...], tuple[Principal, float]] = OrderedDict()
_verified_lock = threading.Lock()
VERIFIED_KEPT = 10_000


def _key(settings: Settings, token: str) -> tuple[str, ...]:
    return (
        token,
        settings.jwks_url or "",
        settings.jwt_secret.get_secret_value(),
        settings.jwt_audience,
        settings.jwt_issuer,
    )


def known_token(settings: Settings, token: str) -> Principal | None:
    """The caller of a token already verified and not expired, else None (no check)."""
    key = _key(settings, token)
    with _verified_lock:
        kept = _verified.get(key)
        if kept is not None:
            _verified.move_to_end(key)
    if kept is None:
        return None
    if time.time() < kept[1]:
        return kept[0]
    with _verified_lock:
        _verified.pop(key, None)
    return None


def verify_token(settings: Settings, token: str) -> Principal:
    """Check signature, expiry, issuer and audience; return the caller.

    A client sends the same token with every request: checking its signature again
    each time was a tenth of a ``GET /me``. A token verified once against the same
    key, issuer and audience is taken from memory until it expires (its ``exp`` is
    checked on every use); at most ``VERIFIED_KEPT`` tokens are kept, the least
    recently used dropped first.
    """
    known = known_token(settings, token)
    if known is not None:
        return known
    principal, expires = _verify(settings, token)
    with _verified_lock:
        _verified[_key(settings, token)] = (principal, expires)
        while len(_verified) > VERIFIED_KEPT:
            _verified.popitem(last=False)
    return principal


def _verify(settings: Settings, token: str) -> tuple[Principal, float]:
    try:
        if settings.jwks_url:
            key = _jwks_client(settings.jwks_url).get_signing_key_from_jwt(token).key
            algorithms = ["RS256", "ES256"]
        else:
            key = settings.jwt_secret.get_secret_value()
            algorithms = ["HS256"]
        claims = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": ["sub", "exp"]},
        )
    except jwt.PyJWTError as exc:
        raise AuthError(str(exc)) from exc
    roles = claims.get("roles") or ["member"]
    if isinstance(roles, str):
        roles = roles.split()
    issued_at = claims.get("iat")
    principal = Principal(
        subject=str(claims["sub"]),
        roles=frozenset(map(str, roles)),
        issued_at=float(issued_at) if isinstance(issued_at, int | float) else 0.0,
    )
    return principal, float(claims["exp"])
