"""A published match's course: its dates, a group's sessions, closing surveys.

Revision ID: 0009_close
Revises: 0005_match_life
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_close"
down_revision: str | None = "0006_repairs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("match_id", sa.String(64), primary_key=True),
        sa.Column("round_id", sa.String(64), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("member_ids", sa.JSON, nullable=False),
        sa.Column("facilitator_id", sa.String(64), nullable=True),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("rhythm_weeks", sa.Integer, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("closed_reason", sa.String(32), nullable=True),
    )
    op.create_table(
        "group_sessions",
        sa.Column("match_id", sa.String(64), primary_key=True),
        sa.Column("session_date", sa.Date, primary_key=True),
        sa.Column("attendee_ids", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "feedback",
        sa.Column("match_id", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), primary_key=True, index=True),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("satisfaction", sa.Integer, nullable=True),
        sa.Column("would_recommend", sa.Boolean, nullable=True),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("answered_at", WHEN, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("group_sessions")
    op.drop_table("courses")
