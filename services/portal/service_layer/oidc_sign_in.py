"""Sign-in through the company's identity provider, ending where e-mail sign-in ends.

The first sign-in links the proved identity to the profile HR imported: by HR's
external id (the ``employee_id`` claim), else by the e-mail when the provider verified
it. Both go through :func:`sign_in.open_session_for`, so the session is the same as
after an e-mail link.
"""

from __future__ import annotations

from services.portal.domain.identity import ProvedIdentity
from services.portal.domain.session import NotInNetwork, SessionUser
from services.portal.service_layer.sign_in import SignIn, open_session_for


async def open_session_for_identity(
    ctx: SignIn, identity: ProvedIdentity
) -> SessionUser | NotInNetwork:
    """The person to sign in for what the provider proved, or :class:`NotInNetwork`."""
    for key, value in identity.sign_in_keys():
        who = await open_session_for(ctx, **{key: value})
        if isinstance(who, SessionUser):
            return who
    return NotInNetwork(identity.email or "")
