"""Storage of erasures (GDPR): tombstones, the rows that name an erased member, redaction.

The tombstone table (``erased_members``) holds the member id and when they were
erased, nothing else. :func:`apply` records it, deletes the member's own deliveries
and rewrites the partners' rows that named them, in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, String, cast, delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.notifier.adapters.orm import deliveries as d
from services.notifier.adapters.orm import erased_members as e
from services.notifier.adapters.writes import writing

#: (row id, new payload, new content) for a row that named an erased member.
Redaction = tuple[str, dict[str, Any], dict[str, Any] | None]


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment  # SQLite: naive


def erasures(engine: Engine, member_ids: Iterable[str]) -> dict[str, datetime]:
    """When each of ``member_ids`` that was erased was erased (the others are absent)."""
    ids = sorted(set(member_ids))
    if not ids:
        return {}
    with engine.connect() as conn:
        found = conn.execute(select(e.c.member_id, e.c.erased_at).where(e.c.member_id.in_(ids)))
        return {member_id: _utc(at) for member_id, at in found}


def erased_since(engine: Engine, member_id: str, issued_at: float) -> bool:
    """Whether ``member_id`` was erased at or after ``issued_at`` (seconds since the epoch)."""
    at = erasures(engine, [member_id]).get(member_id)
    return at is not None and at.timestamp() >= issued_at


def messages_naming(engine: Engine, member_id: str) -> list[Any]:
    """Every row of the messages (``message_key``) of others whose payload names
    ``member_id``; the caller checks the payloads (this is a text search)."""
    text = cast(d.c.payload, String)
    naming = (
        select(d.c.message_key)
        .where(d.c.member_id != member_id, text.contains(member_id, autoescape=True))
        .distinct()
    )
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(d.c.id, d.c.message_key, d.c.member_id, d.c.role, d.c.match_id,
                       d.c.payload, d.c.content)
                .where(d.c.message_key.in_(naming))
                .order_by(d.c.message_key, d.c.match_id)
            ).all()
        )  # fmt: skip


def apply(
    engine: Engine, member_id: str, erased_at: datetime, redactions: Sequence[Redaction]
) -> int:
    """Record the tombstone, delete the member's deliveries, rewrite ``redactions``.

    Returns how many of the member's own deliveries were deleted. Idempotent.
    """
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    tombstone = insert(e).values(member_id=member_id, erased_at=erased_at)
    tombstone = tombstone.on_conflict_do_update(
        index_elements=[e.c.member_id], set_={"erased_at": erased_at}
    )
    with writing(engine) as conn:
        conn.execute(tombstone)
        deleted = int(conn.execute(delete(d).where(d.c.member_id == member_id)).rowcount or 0)
        for row_id, payload, content in redactions:
            conn.execute(update(d).where(d.c.id == row_id).values(payload=payload, content=content))
    return deleted
