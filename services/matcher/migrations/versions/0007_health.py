"""The health projection: one dated fact per event about a published match.

Revision ID: 0007_health
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_health"
down_revision = "0005_match_life"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "health_facts",
        sa.Column("event_id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("match_id", sa.String(64), nullable=False),
        sa.Column("match_kind", sa.String(20), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("tables", sa.JSON(), nullable=False),
    )
    op.create_index("ix_health_facts_day", "health_facts", ["day"])
    op.create_index("ix_health_facts_match_id", "health_facts", ["match_id"])


def downgrade() -> None:
    op.drop_index("ix_health_facts_match_id", table_name="health_facts")
    op.drop_index("ix_health_facts_day", table_name="health_facts")
    op.drop_table("health_facts")
