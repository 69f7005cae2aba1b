"""erased_members: who was erased and when (no personal data).

Revision ID: 0003
Revises: 0002_reason_params
Create Date: 2025-06-10

A tombstone per erased member (GDPR, issue 10 item 7): their tokens issued before
``erased_at`` are refused, and match events computed before it never name them
again. Only the pseudonymous member id and the time are kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002_reason_params"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erased_members",
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("erased_members")
