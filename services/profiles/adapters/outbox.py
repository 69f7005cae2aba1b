"""The profiles outbox: the shared transactional outbox bound to this service's table.

See :mod:`shared.outbox` for the guarantees (same transaction as the change, PubAck
before marking sent, per-member order, de-duplication by event id).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from nats.js.client import JetStreamContext
from sqlalchemy import Connection, Engine, select

from services.profiles.adapters.orm import outbox
from shared import outbox as shared_outbox
from shared.events import Event
from shared.outbox import windows

__all__ = ["OutboxRelay", "add_event", "add_events", "events_of", "pending_count", "windows"]


def add_event(conn: Connection, event: Event) -> None:
    """Write ``event`` into the outbox inside the caller's transaction."""
    shared_outbox.add_events(conn, outbox, [event])


def add_events(conn: Connection, events: Sequence[Event]) -> None:
    """Write several events (in this order) inside the caller's transaction."""
    shared_outbox.add_events(conn, outbox, events)


def pending_count(engine: Engine) -> int:
    return shared_outbox.pending_count(engine, outbox)


def OutboxRelay(
    engine: Engine, js: JetStreamContext, batch: int = 1000, window: int = 256
) -> shared_outbox.OutboxRelay:
    """The shared relay draining the profiles outbox."""
    return shared_outbox.OutboxRelay(engine, outbox, js, batch=batch, window=window)


def events_of(conn: Connection, member_id: str) -> list[dict[str, Any]]:
    """The outbox rows about one member, oldest first (for the GDPR export)."""
    rows = conn.execute(select(outbox).where(outbox.c.member_id == member_id).order_by(outbox.c.id))
    return [
        {
            "event_id": r.event_id,
            "subject": r.subject,
            "created_at": r.created_at,
            "sent_at": r.sent_at,
            "payload": json.loads(r.payload),
        }
        for r in rows
    ]
