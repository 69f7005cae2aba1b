"""Baseline: the notifier schema as the pre-Alembic migrations left it.

Revision ID: 0001_baseline
Revises:
Create Date: 2025-06-01

The two legacy steps are frozen here as they shipped (DDL written out, nothing
imported from the current ORM): a new database gets both, one made before Alembic
gets those its ``schema_version`` table lacks (:func:`shared.migrations.apply_legacy`).
Never edit this revision: add a new one.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Connection, text

from shared.migrations import apply_legacy

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

_V1_TABLE = """
CREATE TABLE IF NOT EXISTS deliveries (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    match_id VARCHAR(64) NOT NULL,
    round_id VARCHAR(64) NOT NULL,
    member_id VARCHAR(64) NOT NULL,
    channel VARCHAR(16) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    reason VARCHAR(2000),
    payload {json} NOT NULL,
    read_at {ts},
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    CONSTRAINT uq_delivery_once UNIQUE (match_id, member_id, channel)
)
"""


def _types(conn: Connection) -> dict[str, str]:
    if conn.dialect.name == "postgresql":
        return {"json": "JSON", "ts": "TIMESTAMP WITH TIME ZONE", "bool": "BOOLEAN"}
    return {"json": "JSON", "ts": "DATETIME", "bool": "BOOLEAN"}


def m001_initial(conn: Connection) -> None:
    conn.execute(text(_V1_TABLE.format(**_types(conn))))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_deliveries_round_id ON deliveries (round_id)"))
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS ix_deliveries_member_id ON deliveries (member_id)")
    )


def m002_dispatcher(conn: Connection) -> None:
    t = _types(conn)
    for column, sql_type in (
        ("role", "VARCHAR(32)"),
        ("message_key", "VARCHAR(64)"),
        ("next_attempt_at", t["ts"]),
        ("lease_until", t["ts"]),
        ("lease_owner", "VARCHAR(64)"),
        ("sent_at", t["ts"]),
        ("content", t["json"]),
        ("event_published", f"{t['bool']} NOT NULL DEFAULT TRUE"),
    ):
        conn.execute(text(f"ALTER TABLE deliveries ADD COLUMN {column} {sql_type}"))
    # Rows written by the skeleton were in-app entries already shown: keep them as sent.
    for name, columns in _V2_INDEXES:
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON deliveries ({columns})"))


#: The indexes migration 2 created (from the ORM of that time), frozen.
_V2_INDEXES = (
    ("ix_deliveries_due", "status, next_attempt_at"),
    ("ix_deliveries_message", "message_key"),
    ("ix_deliveries_outbox", "event_published"),
)

#: The pre-Alembic migrations, in order (``schema_version`` counted them).
STEPS = (m001_initial, m002_dispatcher)


def upgrade() -> None:
    apply_legacy(op.get_bind(), STEPS)


def downgrade() -> None:
    raise NotImplementedError("the baseline cannot be undone")
