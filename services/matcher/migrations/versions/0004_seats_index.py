"""A seminar's seats by table, and a round's matches in id order, from indexes.

Revision ID: 0004_seats_index
Revises: 0005_match_life (written as 0003 on its branch; re-chained after
0005_match_life when main was merged in)

The seating plan of a 6,000-person rotation was drawn from all the round's matches
(one per attendee, JSON holding their seats): every page decoded 6,000 matches to show
a few tables. The ``seats`` table holds one row per (round, rotation, table, member),
written with each stored proposal; its primary key gives a page of tables in order.
Existing rotation matches are copied into it here.

A page of a round's matches (``ORDER BY id LIMIT 50``) sorted all the round's rows,
JSON included, through the index on ``round_id`` alone; ``(round_id, id)`` gives the
page in order.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_seats_index"
down_revision: str | None = "0009_close"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_matches_round_order", "matches", ["round_id", "id"])
    seats = op.create_table(
        "seats",
        sa.Column("round_id", sa.String(64), primary_key=True),
        sa.Column("seminar_round", sa.Integer, primary_key=True),
        sa.Column("table_no", sa.Integer, primary_key=True),
        sa.Column("member_id", sa.String(64), primary_key=True),
        sa.Column("match_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_seats_member", "seats", ["member_id"])
    matches = sa.table(
        "matches",
        sa.column("id", sa.String),
        sa.column("round_id", sa.String),
        sa.column("kind", sa.String),
        sa.column("members", sa.JSON),
        sa.column("data", sa.JSON),
    )
    conn = op.get_bind()
    query = sa.select(matches).where(matches.c.kind == "rotations")
    rows = [
        {"round_id": m.round_id, "seminar_round": int(s["seminar_round"]),
         "table_no": int(s["table"]), "member_id": m.members[0], "match_id": m.id}
        for m in conn.execute(query)
        if m.members and isinstance(m.members[0], str) and not m.members[0].startswith("~")
        for s in (m.data or {}).get("seats") or ()
    ]  # fmt: skip
    if rows and seats is not None:
        op.bulk_insert(seats, rows)


def downgrade() -> None:
    op.drop_index("ix_seats_member", table_name="seats")
    op.drop_table("seats")
    op.drop_index("ix_matches_round_order", table_name="matches")
