"""An identity the company's OpenID Connect provider vouched for, and how it is matched
to a member of the network (pure: no framework, no settings).

Only what the provider proves counts: the e-mail when ``email_verified`` is true, and
HR's external id (the ``employee_id`` claim). An unverified e-mail links to nobody,
since anyone may type any address into a provider's profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from services.portal.domain.errors import PortalError

#: The claim carrying HR's external id (the member's ``external_id`` in profiles).
EMPLOYEE_ID_CLAIM = "employee_id"

Key = Literal["external_id", "email"]


class OidcRefused(PortalError):
    """The answer of the identity provider failed a check (state, nonce, signature,
    issuer, audience, expiry, or an error from the provider): nobody is signed in."""

    status = 400
    code = "portal.oidc_refused"


class ProviderUnreachable(PortalError):
    """The identity provider did not answer (discovery, keys or token endpoint down):
    the sign-in page says so and offers the e-mail link instead."""

    status = 503
    code = "portal.oidc_unreachable"


@dataclass(frozen=True, slots=True)
class ProvedIdentity:
    """What the provider's verified ``id_token`` says about the person."""

    issuer: str
    subject: str
    email: str | None = None
    email_verified: bool = False
    employee_id: str | None = None

    @classmethod
    def from_claims(cls, claims: Mapping[str, object]) -> ProvedIdentity:
        """Read the claims of a verified id_token.

        >>> ProvedIdentity.from_claims({"iss": "https://idp", "sub": "42",
        ...     "email": " Ada@Example.org ", "email_verified": True}).email
        'ada@example.org'
        """
        email = claims.get("email")
        employee = claims.get(EMPLOYEE_ID_CLAIM)
        verified = claims.get("email_verified")
        return cls(
            issuer=str(claims.get("iss") or ""),
            subject=str(claims.get("sub") or ""),
            email=email.strip().lower() or None if isinstance(email, str) else None,
            # Some providers send the boolean as a string: only "true" counts then.
            email_verified=verified is True or verified == "true",
            employee_id=str(employee).strip() or None if employee is not None else None,
        )

    def sign_in_keys(self) -> list[tuple[Key, str]]:
        """How to find the member, in order: HR's external id (HR's own key, stable when
        an address changes), then the e-mail if the provider verified it.

        >>> ProvedIdentity("i", "s", "a@x.org", False, "E1").sign_in_keys()
        [('external_id', 'E1')]
        >>> ProvedIdentity("i", "s", "a@x.org", True).sign_in_keys()
        [('email', 'a@x.org')]
        """
        keys: list[tuple[Key, str]] = []
        if self.employee_id:
            keys.append(("external_id", self.employee_id))
        if self.email and self.email_verified:
            keys.append(("email", self.email))
        return keys
