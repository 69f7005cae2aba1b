"""The health projection's SQL: facts keyed by event id, and members as the report sees them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, String, bindparam, cast, func, or_, select, update

from services.matcher.adapters.orm import erased_members, health_facts, members
from services.matcher.algorithms.health import Fact, Member
from shared.db import DriverRows


class HealthRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def known(self, event_ids: Collection[str]) -> set[str]:
        query = select(health_facts.c.event_id).where(health_facts.c.event_id.in_(event_ids))
        return set(self.conn.execute(query).scalars())

    def add(self, facts: Sequence[tuple[str, Fact]]) -> None:
        """Insert ``(event_id, fact)`` rows (the caller has dropped known event ids), as
        driver tuples: a publication's thousands of facts in one statement."""
        DriverRows(self.conn, health_facts).insert_mappings([_row(eid, f) for eid, f in facts])

    def facts(self, until: date) -> list[Fact]:
        """Every fact up to ``until`` (older ones count: a pair published long ago may meet)."""
        query = select(health_facts).where(health_facts.c.day <= until)
        return [
            Fact(
                kind=r.kind,
                on=r.day,
                match_id=r.match_id,
                members=tuple(r.members),
                match_kind=r.match_kind,
                score=r.score,
                tables=tuple(tuple(t) for t in r.tables),
            )
            for r in self.conn.execute(query)
        ]

    def fingerprint(self, until: date) -> tuple[object, ...]:
        """What a report up to ``until`` is computed from, in three aggregate queries: the
        facts up to that day (only ever added; an erasure blanks ids in them, and counts
        in ``erased_members``), and the members (a profile update raises its version and
        ``updated_at``, an erasure removes the row). Equal fingerprints, equal inputs."""
        facts = select(func.count()).select_from(health_facts).where(health_facts.c.day <= until)
        people = select(func.count(), func.sum(members.c.version), func.max(members.c.updated_at))
        gone = select(func.count(), func.max(erased_members.c.erased_at))
        return (
            int(self.conn.execute(facts).scalar_one()),
            *self.conn.execute(people.select_from(members)).one(),
            *self.conn.execute(gone.select_from(erased_members)).one(),
        )

    def forget(self, member_id: str) -> int:
        """GDPR erasure: the member's id leaves every fact (an empty id keeps each fact's
        shape, and counts nowhere, like any unknown member). How many facts changed."""
        like = f"%{member_id}%"
        query = select(health_facts.c.event_id, health_facts.c.members, health_facts.c.tables)
        found = self.conn.execute(
            query.where(
                or_(cast(health_facts.c.members, String).like(like),
                    cast(health_facts.c.tables, String).like(like))
            )
        ).all()  # fmt: skip
        changed = [
            {"b_id": r.event_id, "members": _without(r.members, member_id),
             "tables": [_without(t, member_id) for t in r.tables]}
            for r in found
            if member_id in r.members or any(member_id in t for t in r.tables)
        ]  # fmt: skip
        if changed:
            self.conn.execute(
                update(health_facts)
                .where(health_facts.c.event_id == bindparam("b_id"))
                .values(members=bindparam("members"), tables=bindparam("tables")),
                changed,
            )
        return len(changed)

    def members(self) -> list[Member]:
        rows = self.conn.execute(select(members.c.id, members.c.profile))
        return [member_of(r.id, r.profile) for r in rows]


def member_of(member_id: str, profile: dict[str, Any]) -> Member:
    """A member as the report sees them, from a stored matching profile (JSON)."""
    start = profile.get("start_date")
    return Member(
        member_id,
        str(profile.get("site", "")),
        str(profile.get("function") or ""),
        date.fromisoformat(start) if start else None,
    )


def _without(ids: list[str], member_id: str) -> list[str]:
    return ["" if m == member_id else m for m in ids]


def _row(event_id: str, f: Fact) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "kind": f.kind,
        "day": f.on,
        "match_id": f.match_id,
        "match_kind": f.match_kind,
        "members": list(f.members),
        "score": f.score,
        "tables": [list(t) for t in f.tables],
    }
