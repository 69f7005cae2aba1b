"""Single-use sign-in links: a random token sent by e-mail, only its hash stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

#: How long a sign-in link works.
LINK_TTL = timedelta(minutes=15)

LinkState = Literal["valid", "used", "expired", "unknown"]


def new_token() -> str:
    """A fresh unguessable token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored for ``token``: its SHA-256, so a database leak opens no session.

    >>> len(token_hash("abc")), token_hash("abc") == token_hash("abc")
    (64, True)
    """
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SignInLink:
    """A link as stored: the token's hash, who it is for, and its lifetime."""

    token_hash: str
    email: str
    member_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def state(self, now: datetime) -> LinkState:
        if self.used_at is not None:
            return "used"
        if now >= self.expires_at:
            return "expired"
        return "valid"


def issue(email: str, member_id: str, now: datetime) -> tuple[str, SignInLink]:
    """A new token and the link to store for it (expires after :data:`LINK_TTL`)."""
    token = new_token()
    return token, SignInLink(token_hash(token), email, member_id, now, now + LINK_TTL)
