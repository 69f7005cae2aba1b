"""The correlation id of deliveries: ``deliveries.correlation_id``.

Revision ID: 0005_correlation
Revises: 0004

Each delivery keeps the correlation id of the message that caused it (see
``shared/correlation.py``), so its e-mail and its notification event carry it.
Nullable: rows written before it have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_correlation"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deliveries", sa.Column("correlation_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("correlation_id")
