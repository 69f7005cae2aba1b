"""Use cases of the notifier: record deliveries once per (match, member, channel)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.notifier.orm import deliveries
from shared.events import MatchEvent


def record_inapp(engine: Engine, event: MatchEvent) -> int:
    """Create the in-app inbox entries of ``event``; redeliveries add nothing.

    Returns how many new entries were created.
    """
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {
            "id": uuid.uuid4().hex,
            "match_id": event.match_id,
            "round_id": event.round_id,
            "member_id": member_id,
            "channel": "inapp",
            "kind": event.type,
            "status": "sent",
            "attempts": 1,
            "payload": event.model_dump(mode="json"),
            "created_at": now,
            "updated_at": now,
        }
        for member_id in event.member_ids
    ]
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(deliveries).values(rows).on_conflict_do_nothing()
    with engine.begin() as conn:
        return int(conn.execute(stmt).rowcount or 0)


def inbox(engine: Engine, member_id: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(deliveries)
            .where(deliveries.c.member_id == member_id, deliveries.c.channel == "inapp")
            .order_by(deliveries.c.created_at.desc())
        ).all()
    return [
        {
            "id": r.id,
            "match_id": r.match_id,
            "round_id": r.round_id,
            "kind": r.kind,
            "payload": r.payload,
            "read": r.read_at is not None,
            "created_at": r.created_at,
        }
        for r in rows
    ]


def mark_read(engine: Engine, member_id: str, entry_id: str) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(deliveries)
            .where(deliveries.c.id == entry_id, deliveries.c.member_id == member_id)
            .values(read_at=datetime.now(UTC))
        )
    return bool(result.rowcount)
