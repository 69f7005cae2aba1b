"""Baseline: the profiles schema as the pre-Alembic migrations left it.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

The three legacy steps are frozen here: each declares the tables as they were at
that step (never the current ``adapters.orm`` tables), so a later change of the ORM
cannot alter the baseline. A new database gets every step; a database made before
Alembic gets only the steps its ``schema_version`` table lacks
(:func:`shared.migrations.apply_legacy`), and is carried on by Alembic from here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import op
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    select,
    text,
    update,
)

from services.profiles.domain.starter_catalogue import STARTER_SKILLS
from shared.migrations import apply_legacy

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The tables as the legacy steps knew them (frozen: do not import adapters.orm).
OPT_IN_COLUMNS = {
    "mentor": "opt_mentor",
    "mentee": "opt_mentee",
    "groups": "opt_groups",
    "seminars": "opt_seminars",
    "facilitator": "opt_facilitator",
}
_md = MetaData()
members = Table(
    "members",
    _md,
    Column("id", String(64), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("site", String(120)),
    Column("function", String(120)),
    Column("manager_id", String(64)),
    *(Column(col, Boolean, nullable=False, default=False) for col in OPT_IN_COLUMNS.values()),
)
skills = Table(
    "skills",
    _md,
    Column("code", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("label", String(200), nullable=False),
    Column("label_en", String(200), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
member_skills = Table(
    "member_skills",
    _md,
    Column("member_id", String(64), ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(64), ForeignKey("skills.code"), primary_key=True, index=True),
    Column("relation", String(8), primary_key=True),  # "has" | "wants"
    Column("level", Integer, nullable=True),
)


def m001_initial(conn: Connection) -> None:
    md = MetaData()
    Table(
        "members",
        md,
        Column("id", String(64), primary_key=True),
        Column("email", String(320), nullable=False, unique=True),
        Column("data", JSON, nullable=False),
        Column("version", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "outbox",
        md,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("subject", String(200), nullable=False),
        Column("member_id", String(64), nullable=True, index=True),
        Column("payload", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True, index=True),
    )
    md.create_all(conn)


def m002_skills_catalogue(conn: Connection) -> None:
    """The skills catalogue, seeded with the French starter catalogue."""
    skills.create(conn)
    now = datetime.now(UTC)
    conn.execute(
        insert(skills),
        [
            {
                "code": c,
                "kind": k,
                "label": fr,
                "label_en": en,
                "created_at": now,
                "updated_at": now,
            }
            for c, k, fr, en in STARTER_SKILLS
        ],
    )


def m003_filter_columns(conn: Connection) -> None:
    """Indexed copies of site, function, opt-ins and skills; backfilled from ``data``."""
    for col, size in (("site", 120), ("function", 120), ("manager_id", 64)):
        conn.execute(text(f"ALTER TABLE members ADD COLUMN {col} VARCHAR({size})"))
        conn.execute(text(f"CREATE INDEX ix_members_{col} ON members ({col})"))
    conn.execute(text("ALTER TABLE members ADD COLUMN revision INTEGER NOT NULL DEFAULT 1"))
    for col in OPT_IN_COLUMNS.values():
        conn.execute(text(f"ALTER TABLE members ADD COLUMN {col} BOOLEAN NOT NULL DEFAULT false"))
    member_skills.create(conn)
    known = set(conn.execute(select(skills.c.code)).scalars())
    now = datetime.now(UTC)
    for row in conn.execute(select(members.c.id, members.c.data)).all():
        data = row.data
        opt_ins = data.get("opt_ins") or {}
        conn.execute(
            update(members)
            .where(members.c.id == row.id)
            .values(
                site=data.get("site"),
                function=data.get("function"),
                manager_id=data.get("manager_id"),
                **{col: bool(opt_ins.get(k)) for k, col in OPT_IN_COLUMNS.items()},
            )
        )
        links = [(c, "has", lvl) for c, lvl in (data.get("skills") or {}).items()]
        links += [(c, "wants", None) for c in data.get("skills_wanted") or ()]
        for code, relation, level in links:
            if code not in known:  # keep legacy codes: HR can relabel them later
                conn.execute(
                    insert(skills).values(
                        code=code,
                        kind="savoir_faire",
                        label=code,
                        label_en="",
                        created_at=now,
                        updated_at=now,
                    )
                )
                known.add(code)
            conn.execute(
                insert(member_skills).values(
                    member_id=row.id, code=code, relation=relation, level=level
                )
            )


LEGACY_STEPS = [m001_initial, m002_skills_catalogue, m003_filter_columns]


def upgrade() -> None:
    apply_legacy(op.get_bind(), LEGACY_STEPS)


def downgrade() -> None:
    raise NotImplementedError("the baseline cannot be undone")
