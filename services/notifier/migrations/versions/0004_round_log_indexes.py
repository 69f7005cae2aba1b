"""A round's delivery log from indexes: its page in order, its counts by status.

Revision ID: 0004
Revises: 0003

The coordinators' delivery log reads one page of a round's deliveries ordered by
member, channel and match, and counts them by status. With an index on ``round_id``
alone, each page sorted all the round's rows (payloads included) before keeping 50:
p95 262 ms for ``/coordination/tours/<id>/envois`` with 10,000 members. The index
``(round_id, member_id, channel, match_id)`` gives the page in order, and
``(round_id, status)`` the counts; the first replaces the index on ``round_id``.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_deliveries_round_log", "deliveries", ["round_id", "member_id", "channel", "match_id"]
    )
    op.create_index("ix_deliveries_round_status", "deliveries", ["round_id", "status"])
    op.drop_index("ix_deliveries_round_id", table_name="deliveries")


def downgrade() -> None:
    op.create_index("ix_deliveries_round_id", "deliveries", ["round_id"])
    op.drop_index("ix_deliveries_round_status", table_name="deliveries")
    op.drop_index("ix_deliveries_round_log", table_name="deliveries")
