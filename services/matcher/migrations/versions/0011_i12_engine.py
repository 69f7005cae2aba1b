"""Automatic repairs that resume: a claim (lease) and a hand-over mark on ``departures``.

Revision ID: 0011_i12_engine
Revises: 0010_member_matches

A round whose ``auto_repair`` policy is on is repaired as soon as a departure is
recorded. ``claimed_until`` is the lease of the automatic repair working on a departure
(taken by a conditional UPDATE, so two workers never repair the same departures): when
the matcher stops between recording a departure and completing its repair, the timer
worker finds the departure unrepaired with no live lease and repairs it after the
restart. ``coordinator_since`` marks a departure left to the coordinator (the round's
policy is off, or the constraints refused its automatic repair): it is not tried again
at every tick.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_i12_engine"
down_revision: str | None = "0010_member_matches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("departures") as batch:
        batch.add_column(sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("coordinator_since", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_departures_repaired_in", "departures", ["repaired_in"])


def downgrade() -> None:
    op.drop_index("ix_departures_repaired_in", table_name="departures")
    with op.batch_alter_table("departures") as batch:
        batch.drop_column("coordinator_since")
        batch.drop_column("claimed_until")
