"""Baseline: the matcher schema as it was before Alembic (legacy migration m001), frozen.

The tables are written out here as they were, not imported from the ORM, so a later
change of ``adapters/orm.py`` cannot alter what this revision creates. A database made
before Alembic gets only the legacy steps it lacks (see ``shared.migrations.apply_legacy``).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from shared.migrations import apply_legacy

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tables() -> MetaData:
    metadata = MetaData()
    stamp = DateTime(timezone=True)
    Table(
        "members", metadata,
        Column("id", String(64), primary_key=True),
        Column("version", Integer, nullable=False),
        Column("profile", JSON, nullable=False),
        Column("updated_at", stamp, nullable=False),
    )  # fmt: skip
    Table(
        "erased_members", metadata,
        Column("id", String(64), primary_key=True),
        Column("version", Integer, nullable=False),
    )  # fmt: skip
    Table(
        "processed_events", metadata,
        Column("event_id", String(64), primary_key=True),
        Column("processed_at", stamp, nullable=False),
    )  # fmt: skip
    Table(
        "rounds", metadata,
        Column("id", String(64), primary_key=True),
        Column("client_request_id", String(200), nullable=False, unique=True),
        Column("kind", String(20), nullable=False),
        Column("name", String(200), nullable=False),
        Column("state", String(20), nullable=False),
        Column("progress", Float, nullable=False),
        Column("step", String(200), nullable=False),
        Column("scope", JSON, nullable=False),
        Column("parameters", JSON, nullable=False),
        Column("requested_by", String(64), nullable=False),
        Column("report", JSON, nullable=True),
        Column("adjustments", JSON, nullable=False),
        Column("lease_until", stamp, nullable=True),
        Column("error", String(2000), nullable=True),
        Column("created_at", stamp, nullable=False),
        Column("updated_at", stamp, nullable=False),
    )  # fmt: skip
    Table(
        "matches", metadata,
        Column("id", String(64), primary_key=True),
        Column("round_id", String(64), nullable=False, index=True),
        Column("kind", String(20), nullable=False),
        Column("members", JSON, nullable=False),
        Column("data", JSON, nullable=False),
        Column("locked", Integer, nullable=False),
    )  # fmt: skip
    Table(
        "history", metadata,
        Column("round_id", String(64), primary_key=True),
        Column("member_a", String(64), primary_key=True, index=True),
        Column("member_b", String(64), primary_key=True, index=True),
        Column("kind", String(20), nullable=False),
        Column("met_at", stamp, nullable=False),
    )  # fmt: skip
    Table(
        "outbox", metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("subject", String(200), nullable=False),
        Column("member_id", String(64), nullable=True, index=True),
        Column("payload", Text, nullable=False),
        Column("created_at", stamp, nullable=False),
        Column("sent_at", stamp, nullable=True, index=True),
    )  # fmt: skip
    return metadata


def m001_initial(conn: Connection) -> None:
    _tables().create_all(conn)


#: The legacy steps (``services/matcher/migrations.py`` before Alembic), in order.
STEPS = [m001_initial]


def upgrade() -> None:
    apply_legacy(op.get_bind(), STEPS)


def downgrade() -> None:
    raise NotImplementedError("the baseline is not reversible")
