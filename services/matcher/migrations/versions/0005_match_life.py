"""The life of a published match: each person's answer and check-in, durable timers.

Revision ID: 0005_match_life
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_match_life"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "participations",
        sa.Column("match_id", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("round_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("deadline", WHEN, nullable=False),
        sa.Column("answered_at", WHEN, nullable=True),
        sa.Column("met", sa.Boolean, nullable=True),
        sa.Column("fit", sa.String(20), nullable=True),
        sa.Column("checked_in_at", WHEN, nullable=True),
    )
    op.create_index("ix_participations_member", "participations", ["member_id"])
    op.create_table(
        "life_timers",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("match_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("fired_at", WHEN, nullable=True),
    )
    op.create_index("ix_life_timers_due", "life_timers", ["fired_at", "due_at"])


def downgrade() -> None:
    op.drop_table("life_timers")
    op.drop_table("participations")
