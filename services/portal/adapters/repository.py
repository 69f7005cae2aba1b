"""All of the portal's SQL: sign-in links and rate-limit counters."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, insert, select, update

from services.portal.adapters.orm import rate_limit_hits, sign_in_links
from services.portal.domain.links import SignInLink


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class SignInLinks:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, link: SignInLink) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                insert(sign_in_links).values(
                    token_hash=link.token_hash, email=link.email, member_id=link.member_id,
                    created_at=link.created_at, expires_at=link.expires_at, used_at=None,
                )
            )  # fmt: skip

    def get(self, token_hash: str) -> SignInLink | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sign_in_links).where(sign_in_links.c.token_hash == token_hash)
            ).first()
        if row is None:
            return None
        return SignInLink(
            row.token_hash, row.email, row.member_id, _aware(row.created_at),  # type: ignore[arg-type]
            _aware(row.expires_at), _aware(row.used_at),  # type: ignore[arg-type]
        )  # fmt: skip

    def use(self, token_hash: str, now: datetime) -> bool:
        """Mark the link used if it still is usable; ``False`` if someone was first."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(sign_in_links)
                .where(
                    sign_in_links.c.token_hash == token_hash,
                    sign_in_links.c.used_at.is_(None),
                    sign_in_links.c.expires_at > now,
                )
                .values(used_at=now)
            )
        return done.rowcount == 1

    def purge(self, before: datetime) -> int:
        """Forget links that expired before ``before`` (used or not)."""
        with self.engine.begin() as conn:
            done = conn.execute(delete(sign_in_links).where(sign_in_links.c.expires_at < before))
        return done.rowcount


class RateCounters:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def hit(self, key: str, now: datetime, since: datetime) -> int:
        """Count one attempt under ``key``; how many there were since ``since``, this one
        included. Older attempts of that key are forgotten."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(rate_limit_hits).where(
                    rate_limit_hits.c.key == key, rate_limit_hits.c.at < since
                )
            )
            conn.execute(insert(rate_limit_hits).values(key=key, at=now))
            count = conn.execute(
                select(func.count()).where(
                    rate_limit_hits.c.key == key, rate_limit_hits.c.at >= since
                )
            ).scalar_one()
        return int(count)
