"""Tables of the profiles service (SQLAlchemy 2 Core tables, one metadata).

``members.data`` holds the whole profile as JSON (the system of record); ``site``,
``function``, the opt-in flags and ``member_skills`` are indexed copies kept in step
by the repository so lists can be filtered in SQL. ``member_skills.code`` references
the catalogue, so a skill in use cannot vanish from it; ``member_themes`` does the same
for the themes catalogue.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
)

from shared.db import UtcDateTime
from shared.outbox import outbox_table

metadata = MetaData()


OPT_IN_COLUMNS = {
    "mentor": "opt_mentor",
    "mentee": "opt_mentee",
    "groups": "opt_groups",
    "seminars": "opt_seminars",
    "facilitator": "opt_facilitator",
}

members = Table(
    "members",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("data", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("site", String(120), nullable=True, index=True),
    Column("function", String(120), nullable=True, index=True),
    Column("manager_id", String(64), nullable=True, index=True),
    Column("external_id", String(64), nullable=True, unique=True, index=True),
    Column("team", String(64), nullable=True, index=True),
    Column("revision", Integer, nullable=False, default=1),
    *(Column(col, Boolean, nullable=False, default=False) for col in OPT_IN_COLUMNS.values()),
)

skills = Table(
    "skills",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("label", String(200), nullable=False),
    Column("label_en", String(200), nullable=False, default=""),
    Column("aliases", JSON, nullable=False, default=list),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

member_skills = Table(
    "member_skills",
    metadata,
    Column("member_id", String(64), ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(64), ForeignKey("skills.code"), primary_key=True),
    Column("relation", String(8), primary_key=True),  # "has" | "wants"
    Column("level", Integer, nullable=True),
    # Covers the catalogue's count of members citing each entry (an index-only scan).
    Index("ix_member_skills_code_member", "code", "member_id"),
)

themes = Table(
    "themes",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("label", String(200), nullable=False),
    Column("label_en", String(200), nullable=False, default=""),
    Column("aliases", JSON, nullable=False, default=list),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

member_themes = Table(
    "member_themes",
    metadata,
    Column("member_id", String(64), ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("code", String(64), ForeignKey("themes.code"), primary_key=True),
    Index("ix_member_themes_code_member", "code", "member_id"),
)

#: Managers who are not members (organisation reference data, never counted as members).
org_managers = Table(
    "org_managers",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=True, unique=True),
    Column("manager", String(64), nullable=True),  # node key: member id or "mgr:<key>"
    Column("team", String(64), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

org_teams = Table(
    "org_teams",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
)

#: PII-free tombstones of erased members (token refusal, version continuity).
erased_members = Table(
    "erased_members",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("erased_at", UtcDateTime(), nullable=False),
    Column("last_version", Integer, nullable=False),
)

outbox = outbox_table(metadata)
