"""Catalogue usage counted from an index: ``(code, member_id)`` on both link tables.

Revision ID: 0004
Revises: 0003

Listing a catalogue counts, per entry, the distinct members citing it. With an index on
``code`` alone that count reads every link row from the table (about 60,000 skill
links at 10,000 members: a median of 239 ms for ``GET /skills`` on the development
machine); an index on ``(code, member_id)`` answers it from the index alone, in code
order. It replaces the index on ``code``, whose lookups it serves as well.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_member_skills_code_member", "member_skills", ["code", "member_id"])
    op.drop_index("ix_member_skills_code", table_name="member_skills")
    op.create_index("ix_member_themes_code_member", "member_themes", ["code", "member_id"])
    op.drop_index("ix_member_themes_code", table_name="member_themes")


def downgrade() -> None:
    op.create_index("ix_member_themes_code", "member_themes", ["code"])
    op.drop_index("ix_member_themes_code_member", table_name="member_themes")
    op.create_index("ix_member_skills_code", "member_skills", ["code"])
    op.drop_index("ix_member_skills_code_member", table_name="member_skills")
