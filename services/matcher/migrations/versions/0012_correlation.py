"""The correlation id of outbox rows and rounds: ``outbox/rounds.correlation_id``.

Revision ID: 0012_correlation
Revises: 0010_member_matches

A published round's announcements, a repair's endings, the life of a match (answers,
timers): each outbox row keeps the correlation id of the request or the message that
caused it (``shared/correlation.py``); the relay publishes it as a NATS header, so the
notifier's e-mails carry it. A round keeps the id of the request that asked for it:
the worker computes it later under that id. Rows written before this revision have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_correlation"
down_revision: str | None = "0011_i12_engine"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TABLES = ("outbox", "rounds")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("correlation_id", sa.String(64), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("correlation_id")
