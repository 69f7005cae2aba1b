"""The correlation id of outbox rows: ``outbox.correlation_id``.

Revision ID: 0006_correlation
Revises: 0004

A member's registration, profile change or erasure is written to the outbox with the
correlation id of the HTTP request that made it (``shared/correlation.py``); the relay
publishes it as a NATS header, so the matcher's and the notifier's log lines about that
member event carry it. Rows written before this revision have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_correlation"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("correlation_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("correlation_id")
