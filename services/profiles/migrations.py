"""Ordered schema migrations of the profiles database (applied at start-up).

Each step is frozen once shipped: it declares the tables as they were at that step
(not the current ``orm`` tables), so an old database and a new one end identical.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Connection,
    DateTime,
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

from services.profiles.adapters.orm import OPT_IN_COLUMNS, member_skills, members, skills
from services.profiles.domain.starter_catalogue import STARTER_SKILLS


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


MIGRATIONS = [m001_initial, m002_skills_catalogue, m003_filter_columns]
