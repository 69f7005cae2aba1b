"""What an OpenID Connect identity proves, and which member it signs in (with fakes)."""

from __future__ import annotations

import doctest
from typing import Any

import services.portal.domain.identity as identity_module
from services.portal.domain.identity import ProvedIdentity
from services.portal.domain.session import NotInNetwork, SessionUser
from services.portal.service_layer.oidc_sign_in import open_session_for_identity
from services.portal.service_layer.sign_in import SignIn


class FakeServices:
    def __init__(self, **members: dict[str, Any]) -> None:
        self.members = members  # "email:x" or "external_id:y" -> member
        self.asked: list[str] = []

    async def lookup_member(
        self, *, email: str | None = None, external_id: str | None = None
    ) -> dict[str, Any] | None:
        key = f"email:{email}" if email else f"external_id:{external_id}"
        self.asked.append(key)
        return self.members.get(key)


def context(services: FakeServices) -> SignIn:
    return SignIn(None, None, services, frozenset(), "")  # type: ignore[arg-type]


ADA = {"id": "m-ada", "email": "ada@example.org", "display_name": "Ada"}


def test_the_examples_of_the_identity_module_run() -> None:
    result = doctest.testmod(identity_module)
    assert result.attempted > 0 and result.failed == 0


def test_only_a_verified_email_or_the_hr_external_id_can_find_a_member() -> None:
    claims = {"iss": "i", "sub": "s", "email": "a@x.org", "email_verified": "false"}
    assert ProvedIdentity.from_claims(claims).sign_in_keys() == []
    claims |= {"email_verified": "true", "employee_id": 42}
    assert ProvedIdentity.from_claims(claims).sign_in_keys() == [
        ("external_id", "42"), ("email", "a@x.org")]  # fmt: skip


async def test_an_identity_is_linked_by_external_id_even_when_the_email_differs() -> None:
    services = FakeServices(**{"external_id:E1": ADA})
    proved = ProvedIdentity("i", "s", "perso@ailleurs.org", True, "E1")
    who = await open_session_for_identity(context(services), proved)
    assert isinstance(who, SessionUser) and who.member_id == "m-ada"


async def test_the_verified_email_is_tried_when_the_external_id_is_unknown() -> None:
    services = FakeServices(**{"email:ada@example.org": ADA})
    proved = ProvedIdentity("i", "s", "ada@example.org", True, "E-unknown")
    who = await open_session_for_identity(context(services), proved)
    assert isinstance(who, SessionUser) and who.member_id == "m-ada"
    assert services.asked == ["external_id:E-unknown", "email:ada@example.org"]


async def test_an_unverified_email_asks_nobody_and_finds_nobody() -> None:
    services = FakeServices(**{"email:ada@example.org": ADA})
    who = await open_session_for_identity(
        context(services), ProvedIdentity("i", "s", "ada@example.org", False)
    )
    assert isinstance(who, NotInNetwork) and services.asked == []
