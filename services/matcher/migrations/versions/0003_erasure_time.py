"""Erasure time of erased members: tokens issued before it are refused.

Tombstones stored before this revision get the time of the upgrade (their tokens are
refused; someone who registers again signs in with a new token).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("erased_members") as batch:
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    erased = sa.table("erased_members", sa.column("erased_at", sa.DateTime(timezone=True)))
    op.execute(erased.update().values(erased_at=datetime.now(UTC)))


def downgrade() -> None:
    with op.batch_alter_table("erased_members") as batch:
        batch.drop_column("erased_at")
