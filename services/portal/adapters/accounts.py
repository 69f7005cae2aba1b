"""The portal's SQL for who is who: identity links and server-side sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from services.portal.adapters.orm import identity_links, portal_sessions
from services.portal.adapters.repository import _aware


class IdentityLinks:
    """OIDC identities (issuer, subject) and the member each was linked to."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def member_of(self, issuer: str, subject: str) -> str | None:
        with self.engine.connect() as conn:
            found = conn.execute(
                select(identity_links.c.member_id).where(
                    identity_links.c.issuer == issuer, identity_links.c.subject == subject
                )
            ).scalar()
        return None if found is None else str(found)

    def subject_of(self, issuer: str, member_id: str) -> str | None:
        """The subject of ``issuer`` already linked to this member, if any."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(identity_links.c.subject).where(
                    identity_links.c.issuer == issuer, identity_links.c.member_id == member_id
                )
            ).scalar()
        return None if found is None else str(found)

    def link(self, issuer: str, subject: str, member_id: str, now: datetime) -> bool:
        """Link the identity to the member; ``False`` if either is already linked
        (two first sign-ins at once: the first one wins)."""
        try:
            row = {"issuer": issuer, "subject": subject, "member_id": member_id, "linked_at": now}
            with self.engine.begin() as conn:
                conn.execute(insert(identity_links).values(**row))
        except IntegrityError:
            return False
        return True

    def forget(self, issuer: str, subject: str) -> None:
        links = identity_links.c
        with self.engine.begin() as conn:
            conn.execute(delete(identity_links).where(links.issuer == issuer,
                                                      links.subject == subject))  # fmt: skip

    def forget_member(self, member_id: str) -> int:
        with self.engine.begin() as conn:
            done = conn.execute(
                delete(identity_links).where(identity_links.c.member_id == member_id)
            )
        return done.rowcount


class Sessions:
    """Open sessions, by the SHA-256 of their id (the id itself is only in the cookie)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open(self, id_hash: str, member_id: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(portal_sessions).values(
                id_hash=id_hash, member_id=member_id, opened_at=now, ended_at=None))  # fmt: skip

    def opened_at(self, id_hash: str) -> datetime | None:
        """When this session was opened, or ``None`` if it is unknown or was ended."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(portal_sessions.c.opened_at).where(
                    portal_sessions.c.id_hash == id_hash, portal_sessions.c.ended_at.is_(None)
                )
            ).scalar()
        return _aware(found)

    def end(self, id_hash: str, now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(portal_sessions).where(
                portal_sessions.c.id_hash == id_hash).values(ended_at=now))  # fmt: skip

    def end_member(self, member_id: str, now: datetime) -> int:
        """End every open session of a member (after their erasure)."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(portal_sessions)
                .where(portal_sessions.c.member_id == member_id,
                       portal_sessions.c.ended_at.is_(None))
                .values(ended_at=now)
            )  # fmt: skip
        return done.rowcount

    def purge(self, before: datetime) -> int:
        """Forget sessions opened before ``before`` (past their lifetime anyway)."""
        with self.engine.begin() as conn:
            done = conn.execute(delete(portal_sessions).where(portal_sessions.c.opened_at < before))
        return done.rowcount
