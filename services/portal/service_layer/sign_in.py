"""Sign-in: e-mail links, and the one function every way of signing in ends in.

:func:`open_session_for` decides who someone is once an identity was proved (by an
e-mail link here, by OpenID Connect elsewhere): the member profiles knows under that
e-mail or HR external id, with the coordinator role when HR named that address.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from services.portal.adapters.accounts import IdentityLinks
from services.portal.adapters.repository import RateCounters, SignInLinks
from services.portal.adapters.services import Services
from services.portal.domain import links, rate_limit
from services.portal.domain.errors import LinkUnusable, TooManyAttempts
from services.portal.domain.session import (
    NotInNetwork,
    SessionUser,
    coordinator_subject,
    roles_for,
)

log = logging.getLogger("entraide.portal.sign_in")


@dataclass(frozen=True, slots=True)
class SignIn:
    """What sign-in needs: the portal's tables, the services, and who coordinates."""

    links: SignInLinks
    counters: RateCounters
    services: Services
    coordinators: frozenset[str]
    portal_url: str
    identities: IdentityLinks


def member_user(ctx: SignIn, member: dict[str, Any], address: str = "") -> SessionUser:
    """The session's person for a member profiles returned."""
    address = str(member.get("email") or address)
    return SessionUser(
        member_id=str(member["id"]),
        email=address,
        roles=roles_for(address, ctx.coordinators, is_member=True),
        display_name=str(member.get("display_name") or address),
    )


async def open_session_for(
    ctx: SignIn, email: str | None = None, external_id: str | None = None
) -> SessionUser | NotInNetwork:
    """The person to sign in for a proved e-mail (or HR external id), or
    :class:`NotInNetwork` when the network does not know them."""
    member = None
    if email:
        member = await ctx.services.lookup_member(email=email)
    elif external_id:
        member = await ctx.services.lookup_member(external_id=external_id)
    address = (email or "").strip().lower()
    if member is not None:
        return member_user(ctx, member, address)
    if address and address in ctx.coordinators:
        return SessionUser(
            member_id=coordinator_subject(address), email=address,
            roles=("coordinator",), display_name=address, is_member=False,
        )  # fmt: skip
    return NotInNetwork(address)


def _count(ctx: SignIn, key: str, limit: rate_limit.Limit, now: datetime) -> None:
    if limit.exceeded(ctx.counters.hit(key, now, now - limit.window)):
        raise TooManyAttempts(minutes=int(limit.window.total_seconds() // 60))


async def request_link(ctx: SignIn, email: str, client: str, language: str) -> None:
    """Send a sign-in link to ``email`` if it belongs to someone of the network.

    The answer is the same whether or not the address is known; only the rate
    limits (per address and per client) refuse, with :class:`TooManyAttempts`.
    """
    now = datetime.now(UTC)
    address = email.strip().lower()
    _count(ctx, f"client:{client}", rate_limit.PER_CLIENT, now)
    _count(ctx, f"email:{address}", rate_limit.PER_EMAIL, now)
    who = await open_session_for(ctx, email=address)
    if isinstance(who, NotInNetwork):
        log.info("sign-in link asked for an address outside the network")
        return
    token, link = links.issue(who.email, who.member_id, now)
    ctx.links.add(link)
    url = f"{ctx.portal_url}/connexion/lien?{urlencode({'jeton': token})}"
    minutes = int(links.LINK_TTL.total_seconds() // 60)
    await ctx.services.send_sign_in_link(who.email, language, url, minutes)


def link_state(ctx: SignIn, token: str) -> links.LinkState:
    """Whether the link can still be used (the confirmation page shows this)."""
    link = ctx.links.get(links.token_hash(token))
    return "unknown" if link is None else link.state(datetime.now(UTC))


async def consume_link(ctx: SignIn, token: str) -> SessionUser | NotInNetwork:
    """Use the link once: the person it was sent to, or :class:`LinkUnusable`."""
    digest = links.token_hash(token)
    state = link_state(ctx, token)
    if state != "valid" or not ctx.links.use(digest, datetime.now(UTC)):
        raise LinkUnusable(f"portal.link_{'used' if state == 'valid' else state}")
    link = ctx.links.get(digest)
    assert link is not None
    return await open_session_for(ctx, email=link.email)
