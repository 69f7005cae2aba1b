"""Sign-in through the company's identity provider, ending where e-mail sign-in ends.

The first sign-in links the proved identity (issuer + subject) to the profile HR
imported: by HR's external id (the ``employee_id`` claim), else by the e-mail when the
provider verified it; the link is then stored in the portal's ``identity_links``.
Later sign-ins use the stored link alone: what the provider says of the e-mail then
no longer matters, so an address changed at the provider (to a colleague's, say)
cannot take over another member's profile. A member already linked to another subject
of the same provider is refused (:class:`AlreadyLinked`), and a link to a member whose
profile was erased is refused and forgotten (:class:`ErasedMember`).

Why the portal and not profiles: the link is a sign-in fact of one provider, like the
portal's sign-in links; profiles keeps the member (its id stays the token's subject,
nothing else changes for the services) and needs no new API or event.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from services.portal.domain.identity import ProvedIdentity
from services.portal.domain.session import (
    AlreadyLinked,
    ErasedMember,
    NotInNetwork,
    Refusal,
    SessionUser,
)
from services.portal.service_layer.sign_in import SignIn, member_user, open_session_for

log = logging.getLogger("entraide.portal.oidc")


async def _linked(ctx: SignIn, identity: ProvedIdentity, member_id: str) -> SessionUser | Refusal:
    member = await ctx.services.member_by_id(member_id)
    if member is None:
        ctx.identities.forget(identity.issuer, identity.subject)
        log.info("an identity linked to an erased member was refused and forgotten")
        return ErasedMember()
    return member_user(ctx, member)


def _link(ctx: SignIn, identity: ProvedIdentity, member_id: str) -> bool:
    """Store the link; when two first sign-ins race, the first one's link stands."""
    if ctx.identities.link(identity.issuer, identity.subject, member_id, datetime.now(UTC)):
        return True
    return ctx.identities.member_of(identity.issuer, identity.subject) == member_id


async def _first_sign_in(ctx: SignIn, identity: ProvedIdentity) -> SessionUser | Refusal:
    for key, value in identity.sign_in_keys():
        who = await open_session_for(ctx, **{key: value})
        if not isinstance(who, SessionUser):
            continue
        if not who.is_member:  # a coordinator without a profile: nothing to link
            return who
        other = ctx.identities.subject_of(identity.issuer, who.member_id)
        if other is not None and other != identity.subject:
            log.warning("a second identity of the same provider claimed a linked member")
            return AlreadyLinked()
        if other is None and not _link(ctx, identity, who.member_id):
            return AlreadyLinked()
        return who
    return NotInNetwork(identity.email or "")


async def open_session_for_identity(ctx: SignIn, identity: ProvedIdentity) -> SessionUser | Refusal:
    """The person to sign in for what the provider proved, or why nobody is."""
    member_id = ctx.identities.member_of(identity.issuer, identity.subject)
    if member_id is not None:
        return await _linked(ctx, identity, member_id)
    return await _first_sign_in(ctx, identity)
