"""Tables of the notifier service.

``deliveries`` holds one row per (match, member, channel): the unique key is the
idempotency key, written in the same transaction that acknowledges the match event.
A row moves ``pending -> claimed -> sending -> sent | pending (retry) | failed`` or
from ``claimed`` to ``skipped``; ``message_key`` groups the rows of one member, round
and channel into the single message the cap allows.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

metadata = MetaData()

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("match_id", String(64), nullable=False),
    Column("round_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column(
        "status", String(16), nullable=False
    ),  # pending, claimed, sending, sent, failed, skipped
    Column("attempts", Integer, nullable=False, default=0),
    Column("reason", String(2000), nullable=True),  # a message code (older rows: a sentence)
    Column("payload", JSON, nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # -- added by migration 2 ------------------------------------------------------------
    Column("role", String(32), nullable=True),
    Column("message_key", String(64), nullable=True),
    Column("next_attempt_at", DateTime(timezone=True), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("lease_owner", String(64), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("content", JSON, nullable=True),
    Column("event_published", Boolean, nullable=False, default=True),
    # -- added by revision 0002 ----------------------------------------------------------
    Column("reason_params", JSON, nullable=True),
    # the correlation id of the event that caused it: its e-mail and event carry it
    Column("correlation_id", String(64), nullable=True),
    UniqueConstraint("match_id", "member_id", "channel", name="uq_delivery_once"),
)

#: GDPR tombstones (revision 0003): the member id and when they were erased, nothing else.
erased_members = Table(
    "erased_members",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("erased_at", DateTime(timezone=True), nullable=False),
)

Index("ix_deliveries_due", deliveries.c.status, deliveries.c.next_attempt_at)
Index("ix_deliveries_message", deliveries.c.message_key)
Index("ix_deliveries_outbox", deliveries.c.event_published)
# A round's delivery log: one page in its order read from the index (no sort of the
# round's rows), and its counts by status from the index alone (revision 0004).
Index(
    "ix_deliveries_round_log",
    deliveries.c.round_id,
    deliveries.c.member_id,
    deliveries.c.channel,
    deliveries.c.match_id,
)
Index("ix_deliveries_round_status", deliveries.c.round_id, deliveries.c.status)
