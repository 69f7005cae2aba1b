"""Tables of the notifier service."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

metadata = MetaData()

# One row per (match, member, channel): the unique key is the idempotency key.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("match_id", String(64), nullable=False),
    Column("round_id", String(64), nullable=False, index=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # pending, sent, failed, skipped
    Column("attempts", Integer, nullable=False, default=0),
    Column("reason", String(2000), nullable=True),
    Column("payload", JSON, nullable=False),
    Column("read_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("match_id", "member_id", "channel", name="uq_delivery_once"),
)
