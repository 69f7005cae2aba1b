"""Sessions kept on the server too: the cookie carries a random session id, the portal
keeps its SHA-256 while the session is open.

A session is refused when its id is unknown, was ended (signing out, erasure) or is
older than ``session_max_age_s``: replaying a cookie copied before signing out opens
nothing, whatever the cookie's own signature and dates say.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.portal.adapters.accounts import Sessions
from services.portal.domain import links
from services.portal.domain.session import expired


def open_session(store: Sessions, member_id: str, max_age_s: int) -> str:
    """A new session id for ``member_id`` (only its hash is stored)."""
    now = datetime.now(UTC)
    session_id = links.new_token()
    store.open(links.token_hash(session_id), member_id, now)
    store.purge(now - timedelta(seconds=max_age_s))  # the ones nobody can use any more
    return session_id


def is_open(store: Sessions, session_id: str, max_age_s: int) -> bool:
    """Whether the session was opened here, is not ended and not too old."""
    opened = store.opened_at(links.token_hash(session_id))
    if opened is None:
        return False
    return not expired(opened.timestamp(), datetime.now(UTC).timestamp(), max_age_s)


def end_session(store: Sessions, session_id: str) -> None:
    store.end(links.token_hash(session_id), datetime.now(UTC))


def end_member_sessions(store: Sessions, member_id: str) -> int:
    """End every session of a member (their data was erased)."""
    return store.end_member(member_id, datetime.now(UTC))
