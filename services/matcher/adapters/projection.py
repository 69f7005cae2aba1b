"""The member projection's SQL: members, erased members, processed event ids."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from services.matcher.adapters.orm import erased_members, members, processed_events
from shared.db import EncodedJson


@dataclass(frozen=True)
class MemberRecord:
    id: str
    version: int
    #: read back as a dict; written either as a dict or as JSON text already encoded
    profile: dict[str, Any] | EncodedJson


class ProjectionRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def processed(self, event_ids: Collection[str]) -> set[str]:
        query = select(processed_events.c.event_id).where(
            processed_events.c.event_id.in_(event_ids)
        )
        return set(self.conn.execute(query).scalars())

    def mark_processed(self, event_ids: Sequence[str], now: datetime) -> None:
        if event_ids:
            rows = [{"event_id": e, "processed_at": now} for e in event_ids]
            self.conn.execute(insert(processed_events), rows)

    def versions(self, member_ids: Collection[str]) -> dict[str, int]:
        query = select(members.c.id, members.c.version).where(members.c.id.in_(member_ids))
        return {row.id: row.version for row in self.conn.execute(query)}

    def erased_versions(self, member_ids: Collection[str]) -> dict[str, int]:
        query = select(erased_members.c.id, erased_members.c.version).where(
            erased_members.c.id.in_(member_ids)
        )
        return {row.id: row.version for row in self.conn.execute(query)}

    def write(self, records: Sequence[MemberRecord], existing: set[str], now: datetime) -> None:
        """Insert new members and update known ones, in two bulk statements."""
        rows = [
            {"id": r.id, "version": r.version, "updated_at": now, "profile": r.profile}
            for r in records
        ]
        new = [r for r in rows if r["id"] not in existing]
        old = [{**r, "b_id": r["id"]} for r in rows if r["id"] in existing]
        if new:
            self.conn.execute(insert(members), new)
        if old:
            self.conn.execute(
                update(members)
                .where(members.c.id == bindparam("b_id"))
                .values(
                    version=bindparam("version"),
                    profile=bindparam("profile"),
                    updated_at=bindparam("updated_at"),
                ),
                old,
            )

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
