"""Catalogues: aliases for skills, a themes catalogue and the members' theme links.

Revision ID: 0003
Revises: 0002

Themes were free codes until now; the catalogue is seeded with the French starter
list and with every theme a stored profile already cites (labelled by its code, for
HR to relabel), so no stored profile becomes invalid. ``member_themes`` indexes the
themes of each profile, so a theme in use cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from services.profiles.domain.starter_catalogue import STARTER_THEMES

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_md = sa.MetaData()
members = sa.Table(
    "members", _md, sa.Column("id", sa.String(64)), sa.Column("data", sa.JSON)
)  # frozen: only what this revision reads


def upgrade() -> None:
    op.add_column(
        "skills",
        sa.Column("aliases", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    themes = op.create_table(
        "themes",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("label_en", sa.String(200), nullable=False, server_default=""),
        sa.Column("aliases", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    links = op.create_table(
        "member_themes",
        sa.Column(
            "member_id",
            sa.String(64),
            sa.ForeignKey("members.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("code", sa.String(64), sa.ForeignKey("themes.code"), primary_key=True),
    )
    op.create_index("ix_member_themes_code", "member_themes", ["code"])
    conn = op.get_bind()
    cited = {
        row.id: list(dict.fromkeys((row.data or {}).get("themes") or ()))
        for row in conn.execute(sa.select(members.c.id, members.c.data))
    }
    entries = {code: (fr, en) for code, fr, en in STARTER_THEMES}
    for codes in cited.values():
        entries.update({c: (c, "") for c in codes if c not in entries})
    now = datetime.now(UTC)
    rows = [
        {
            "code": c,
            "label": fr,
            "label_en": en,
            "aliases": [],
            "created_at": now,
            "updated_at": now,
        }
        for c, (fr, en) in entries.items()
    ]
    op.bulk_insert(themes, rows)
    pairs = [{"member_id": m, "code": c} for m, codes in cited.items() for c in codes]
    if pairs:
        op.bulk_insert(links, pairs)


def downgrade() -> None:
    op.drop_table("member_themes")
    op.drop_table("themes")
    op.drop_column("skills", "aliases")
