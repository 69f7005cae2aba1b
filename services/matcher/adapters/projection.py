"""The member projection's SQL: members, erased members, processed event ids."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from services.matcher.adapters.orm import erased_members, members, processed_events
from shared.db import DriverRows, EncodedJson


@dataclass(frozen=True)
class MemberRecord:
    id: str
    version: int
    #: read back as a dict; written either as a dict or as JSON text already encoded
    profile: dict[str, Any] | EncodedJson


class ProjectionRepository:
    """The projection's batch statements go to the driver as plain tuples
    (:class:`shared.db.DriverRows`): a batch of a thousand events is a few statements and
    no per-row work in SQLAlchemy."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._members = DriverRows(conn, members)
        self._erased = DriverRows(conn, erased_members)
        self._processed = DriverRows(conn, processed_events)

    def processed(self, event_ids: Collection[str]) -> set[str]:
        return {row[0] for row in self._processed.where_in(["event_id"], "event_id", event_ids)}

    def mark_processed(self, event_ids: Sequence[str], now: datetime) -> None:
        """Record the ids in one multi-row statement (one timestamp, converted once)."""
        at = self._processed.bind("processed_at", now)
        self._processed.insert(["event_id", "processed_at"], [(e, at) for e in event_ids])

    def versions(self, member_ids: Collection[str]) -> dict[str, int]:
        return {
            row[0]: row[1] for row in self._members.where_in(["id", "version"], "id", member_ids)
        }

    def erased_versions(self, member_ids: Collection[str]) -> dict[str, int]:
        return {
            row[0]: row[1] for row in self._erased.where_in(["id", "version"], "id", member_ids)
        }

    def write(self, records: Sequence[MemberRecord], existing: set[str], now: datetime) -> None:
        """Insert new members and update known ones, in two bulk statements."""
        at = self._members.bind("updated_at", now)
        profile = self._members.binder("profile")
        new = [(r.id, r.version, profile(r.profile), at) for r in records if r.id not in existing]
        old = [(r.version, profile(r.profile), at, r.id) for r in records if r.id in existing]
        self._members.insert(["id", "version", "profile", "updated_at"], new)
        self._members.update(["version", "profile", "updated_at"], "id", old)

    def erase(self, member_id: str, version: int, erased_at: datetime) -> None:
        """The member is gone; a stale redelivery up to ``version`` never brings it back."""
        self.conn.execute(delete(members).where(members.c.id == member_id))
        self.conn.execute(delete(erased_members).where(erased_members.c.id == member_id))
        self.conn.execute(
            insert(erased_members).values(id=member_id, version=version, erased_at=erased_at)
        )

    def erased_at(self, member_id: str) -> datetime | None:
        query = select(erased_members.c.erased_at).where(erased_members.c.id == member_id)
        return self.conn.execute(query).scalar_one_or_none()

    def profiles(self) -> list[tuple[str, dict[str, Any]]]:
        rows = self.conn.execute(select(members.c.id, members.c.profile)).all()
        return [(row.id, row.profile) for row in rows]

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(members)).scalar_one())

    def get(self, member_id: str) -> MemberRecord | None:
        row = self.conn.execute(select(members).where(members.c.id == member_id)).first()
        return None if row is None else MemberRecord(row.id, row.version, row.profile)
