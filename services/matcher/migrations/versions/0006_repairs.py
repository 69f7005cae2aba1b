"""Repairs of published rounds: a revision per round, the departures, the repair reports.

``rounds.revision`` counts the repairs of a round (0 at publication). ``departures``
records who left a published round (declined, deactivated, erased, or named by the
coordinator) until a repair takes them into account. ``repairs`` keeps each repair's
report: how many people and which matches changed, quality before and after.

Revision ID: 0006_repairs
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_repairs"
down_revision: str | None = "0007_health"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "departures",
        sa.Column("round_id", sa.String(64), primary_key=True),
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("repaired_in", sa.Integer(), nullable=True),
    )
    op.create_table(
        "repairs",
        sa.Column("round_id", sa.String(64), primary_key=True),
        sa.Column("revision", sa.Integer(), primary_key=True),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("repaired_by", sa.String(64), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("repairs")
    op.drop_table("departures")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("revision")
