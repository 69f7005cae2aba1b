"""Ordered schema migrations of the notifier database (applied at start-up).

Migration 1 is frozen as it shipped (the skeleton's table); migration 2 adds what the
dispatcher needs. Never edit an applied migration: add a new one.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from services.notifier.orm import deliveries

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
    for index in deliveries.indexes:
        if index.name in {"ix_deliveries_due", "ix_deliveries_message", "ix_deliveries_outbox"}:
            index.create(conn, checkfirst=True)


MIGRATIONS = [m001_initial, m002_dispatcher]
