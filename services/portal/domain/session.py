"""Who is signed in: what the portal keeps in its signed session cookie.

A session holds a :class:`SessionUser` (member id, e-mail, roles, name) and the time
it was opened; nothing else of the member's data. The portal mints a short-lived
token for that member id and those roles on each call to a service.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SessionUser:
    """A signed-in person: their member id (token subject), e-mail, roles and name."""

    member_id: str
    email: str
    roles: tuple[str, ...]
    display_name: str
    #: ``False`` for a coordinator who has no member profile (signs in by role only).
    is_member: bool = True

    @property
    def is_coordinator(self) -> bool:
        return "coordinator" in self.roles

    def to_dict(self) -> dict[str, Any]:
        return {
            "member_id": self.member_id,
            "email": self.email,
            "roles": list(self.roles),
            "display_name": self.display_name,
            "is_member": self.is_member,
        }

    @classmethod
    def from_dict(cls, data: object) -> SessionUser | None:
        """The user stored in a session, or ``None`` when it is absent or malformed."""
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                member_id=str(data["member_id"]),
                email=str(data["email"]),
                roles=tuple(str(r) for r in data["roles"]),
                display_name=str(data["display_name"]),
                is_member=bool(data.get("is_member", True)),
            )
        except (KeyError, TypeError):
            return None


@dataclass(frozen=True, slots=True)
class NotInNetwork:
    """Sign-in succeeded but this person has no profile in the network."""

    email: str = ""


@dataclass(frozen=True, slots=True)
class ErasedMember:
    """The identity was linked to a member whose profile has since been erased."""


@dataclass(frozen=True, slots=True)
class AlreadyLinked:
    """The member found for this identity is linked to another identity of the same
    provider (an address changed at the provider must not take over a profile)."""


#: What a sign-in can end in when nobody is signed in.
Refusal = NotInNetwork | ErasedMember | AlreadyLinked


def roles_for(email: str, coordinators: frozenset[str], is_member: bool) -> tuple[str, ...]:
    """A member is ``member``; an address HR named as coordinator is ``coordinator`` too.

    >>> roles_for("Rh@Example.org", frozenset({"rh@example.org"}), is_member=True)
    ('member', 'coordinator')
    >>> roles_for("a@example.org", frozenset(), is_member=True)
    ('member',)
    """
    roles: tuple[str, ...] = ("member",) if is_member else ()
    if email.strip().lower() in coordinators:
        roles += ("coordinator",)
    return roles


def coordinator_subject(email: str) -> str:
    """A stable token subject for a coordinator who has no member profile.

    >>> coordinator_subject("rh@example.org")
    'hr-8d0fd1a94a5c6ab2'
    """
    return "hr-" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def expired(opened_at: float, now: float, max_age_s: int) -> bool:
    """A session is over ``max_age_s`` seconds after it was opened.

    >>> expired(1000.0, 1000.0 + 3600, 3600), expired(1000.0, 1001.0, 3600)
    (True, False)
    """
    return now - opened_at >= max_age_s
