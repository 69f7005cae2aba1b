"""What an OpenID Connect identity proves, and which member it signs in (with fakes)."""

from __future__ import annotations

import doctest
from typing import Any

import services.portal.domain.identity as identity_module
from services.portal.domain.identity import ProvedIdentity
from services.portal.domain.session import AlreadyLinked, ErasedMember, NotInNetwork, SessionUser
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

    async def member_by_id(self, member_id: str) -> dict[str, Any] | None:
        self.asked.append(f"id:{member_id}")
        return next((m for m in self.members.values() if m["id"] == member_id), None)


class FakeIdentityLinks:
    """The portal's identity_links table, in memory."""

    def __init__(self) -> None:
        self.links: dict[tuple[str, str], str] = {}

    def member_of(self, issuer: str, subject: str) -> str | None:
        return self.links.get((issuer, subject))

    def subject_of(self, issuer: str, member_id: str) -> str | None:
        return next((s for (i, s), m in self.links.items() if (i, m) == (issuer, member_id)),
                    None)  # fmt: skip

    def link(self, issuer: str, subject: str, member_id: str, now: object) -> bool:
        if (issuer, subject) in self.links or self.subject_of(issuer, member_id):
            return False
        self.links[(issuer, subject)] = member_id
        return True

    def forget(self, issuer: str, subject: str) -> None:
        self.links.pop((issuer, subject), None)


def context(services: FakeServices, links: FakeIdentityLinks | None = None) -> SignIn:
    return SignIn(None, None, services, frozenset(), "",  # type: ignore[arg-type]
                  links or FakeIdentityLinks())  # type: ignore[arg-type]  # fmt: skip


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


async def test_the_first_sign_in_stores_the_link_and_the_next_one_uses_it_alone() -> None:
    services, links = FakeServices(**{"email:ada@example.org": ADA}), FakeIdentityLinks()
    first = await open_session_for_identity(
        context(services, links), ProvedIdentity("i", "s", "ada@example.org", True)
    )
    assert isinstance(first, SessionUser) and links.links == {("i", "s"): "m-ada"}
    services.asked.clear()
    changed = ProvedIdentity("i", "s", "ada.nouvelle@example.org", True)
    again = await open_session_for_identity(context(services, links), changed)
    assert isinstance(again, SessionUser) and again.member_id == "m-ada"
    assert services.asked == ["id:m-ada"], "no lookup by the new address"


async def test_an_address_changed_to_a_linked_colleagues_cannot_take_over_their_profile() -> None:
    bob = {"id": "m-bob", "email": "bob@example.org", "display_name": "Bob"}
    services = FakeServices(**{"email:ada@example.org": ADA, "email:bob@example.org": bob})
    links = FakeIdentityLinks()
    links.links[("i", "sub-ada")] = "m-ada"
    # Another account of the same provider now claims Ada's (verified) address.
    who = await open_session_for_identity(
        context(services, links), ProvedIdentity("i", "sub-mallory", "ada@example.org", True)
    )
    assert isinstance(who, AlreadyLinked) and ("i", "sub-mallory") not in links.links
    # And Ada's own account, whose address changed to Bob's, stays Ada.
    ada = await open_session_for_identity(
        context(services, links), ProvedIdentity("i", "sub-ada", "bob@example.org", True)
    )
    assert isinstance(ada, SessionUser) and ada.member_id == "m-ada"


async def test_a_link_to_an_erased_member_is_refused_and_forgotten() -> None:
    services, links = FakeServices(), FakeIdentityLinks()
    links.links[("i", "s")] = "m-gone"
    who = await open_session_for_identity(
        context(services, links), ProvedIdentity("i", "s", "ada@example.org", True)
    )
    assert isinstance(who, ErasedMember) and links.links == {}
