"""A member's matches from an index: the ``match_members`` table.

Revision ID: 0010_member_matches
Revises: 0004_seats_index

« Mes mises en relation » read every published match (JSON members) and kept the
member's in Python: seconds at 10,000 members. ``match_members`` holds one row per
(member, match), written with each stored proposal; its primary key gives a member's
matches. Existing matches are copied into it here (erased members' tombstones, which
start with ``~``, are not members anyone looks up).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_member_matches"
down_revision: str | None = "0004_seats_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "match_members",
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("match_id", sa.String(64), primary_key=True),
        sa.Column("round_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_match_members_round_id", "match_members", ["round_id"])
    matches = sa.table(
        "matches",
        sa.column("id", sa.String),
        sa.column("round_id", sa.String),
        sa.column("members", sa.JSON),
    )
    conn = op.get_bind()
    rows = [
        {"member_id": member, "match_id": m.id, "round_id": m.round_id}
        for m in conn.execute(sa.select(matches))
        for member in dict.fromkeys(m.members or ())
        if isinstance(member, str) and not member.startswith("~")
    ]
    if rows and table is not None:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_index("ix_match_members_round_id", table_name="match_members")
    op.drop_table("match_members")
