"""Reads and writes of members and the catalogue, inside the caller's transaction.

The JSON ``data`` column is the record; :func:`index_values` derives the indexed
copies (site, function, manager, opt-ins) and :func:`link_skills` the ``member_skills``
rows, so every write path keeps them in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, exists, func, insert, select, update

from services.profiles.adapters.catalogue_repository import link_themes, theme_links
from services.profiles.adapters.orm import (
    OPT_IN_COLUMNS,
    member_skills,
    member_themes,
    members,
    outbox,
)


@dataclass(frozen=True, slots=True)
class MemberFilter:
    site: str | None = None
    function: str | None = None
    opt_in: str | None = None
    skill: str | None = None
    min_level: int = 0
    #: Arrived on or after this day (HR's ``start_date``): the newcomers.
    arrived_since: date | None = None
    #: Only these members (the portal fetches names by ids, a page at a time).
    ids: tuple[str, ...] = ()


def index_values(data: Mapping[str, Any]) -> dict[str, Any]:
    opt_ins = data.get("opt_ins") or {}
    return {
        "email": data["email"],
        "site": data.get("site"),
        "function": data.get("function"),
        "manager_id": data.get("manager_id"),
        **{col: bool(opt_ins.get(key)) for key, col in OPT_IN_COLUMNS.items()},
    }


def skill_links(member_id: str, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    links = [
        {"member_id": member_id, "code": c, "relation": "has", "level": lvl}
        for c, lvl in (data.get("skills") or {}).items()
    ]
    links += [
        {"member_id": member_id, "code": c, "relation": "wants", "level": None}
        for c in data.get("skills_wanted") or ()
    ]
    return links


def load(conn: Connection, member_id: str) -> Row[Any] | None:
    return conn.execute(select(members).where(members.c.id == member_id)).first()


def load_by_emails(conn: Connection, emails: Iterable[str]) -> dict[str, Row[Any]]:
    wanted = list(emails)
    found: dict[str, Row[Any]] = {}
    for start in range(0, len(wanted), 500):  # stay under bind-parameter limits
        chunk = wanted[start : start + 500]
        for row in conn.execute(select(members).where(members.c.email.in_(chunk))):
            found[row.email] = row
    return found


def email_taken(conn: Connection, email: str, except_id: str | None = None) -> bool:
    query = select(members.c.id).where(members.c.email == email)
    if except_id is not None:
        query = query.where(members.c.id != except_id)
    return conn.execute(query).first() is not None


def member_exists(conn: Connection, member_id: str) -> bool:
    return conn.execute(select(members.c.id).where(members.c.id == member_id)).first() is not None


def insert_members(
    conn: Connection, rows: Sequence[tuple[str, dict[str, Any]]], now: datetime
) -> None:
    """Insert new members (id, data) at version 1, with their skill links."""
    if not rows:
        return
    conn.execute(
        insert(members),
        [
            {
                "id": member_id,
                "data": data,
                "version": 1,
                "revision": 1,
                "created_at": now,
                "updated_at": now,
                **index_values(data),
            }
            for member_id, data in rows
        ],
    )
    links = [link for member_id, data in rows for link in skill_links(member_id, data)]
    if links:
        conn.execute(insert(member_skills), links)
    themes = [link for member_id, data in rows for link in theme_links(member_id, data)]
    if themes:
        conn.execute(insert(member_themes), themes)


def update_member(
    conn: Connection, row: Row[Any], data: dict[str, Any], version: int, now: datetime
) -> bool:
    """Write ``data`` if nobody changed the member since ``row`` was read."""
    result = conn.execute(
        update(members)
        .where(members.c.id == row.id, members.c.revision == row.revision)
        .values(
            data=data,
            version=version,
            revision=row.revision + 1,
            updated_at=now,
            **index_values(data),
        )
    )
    if result.rowcount != 1:
        return False
    if skill_links(row.id, data) != skill_links(row.id, row.data):
        conn.execute(delete(member_skills).where(member_skills.c.member_id == row.id))
        links = skill_links(row.id, data)
        if links:
            conn.execute(insert(member_skills), links)
    if data.get("themes") != row.data.get("themes"):
        link_themes(conn, row.id, data)
    return True


def delete_member(conn: Connection, row: Row[Any]) -> bool:
    """Delete the member if nobody changed it since ``row`` was read."""
    result = conn.execute(
        delete(members).where(members.c.id == row.id, members.c.revision == row.revision)
    )
    if result.rowcount != 1:
        return False
    conn.execute(delete(member_skills).where(member_skills.c.member_id == row.id))
    conn.execute(delete(member_themes).where(member_themes.c.member_id == row.id))
    return True


def reports_of(conn: Connection, manager_id: str) -> list[Row[Any]]:
    return list(conn.execute(select(members).where(members.c.manager_id == manager_id)))


def list_members(
    conn: Connection, where: MemberFilter, offset: int, limit: int
) -> tuple[list[Row[Any]], int]:
    query = select(members)
    if where.site is not None:
        query = query.where(members.c.site == where.site)
    if where.function is not None:
        query = query.where(members.c.function == where.function)
    if where.opt_in is not None:
        query = query.where(members.c[OPT_IN_COLUMNS[where.opt_in]].is_(True))
    if where.skill is not None:
        query = query.where(
            exists().where(
                member_skills.c.member_id == members.c.id,
                member_skills.c.code == where.skill,
                member_skills.c.relation == "has",
                member_skills.c.level >= where.min_level,
            )
        )
    if where.arrived_since is not None:
        # ISO dates compare as text; JSON access compiles per dialect (no migration).
        arrived = members.c.data["start_date"].as_string()
        query = query.where(arrived >= where.arrived_since.isoformat())
    if where.ids:
        query = query.where(members.c.id.in_(where.ids))
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(
        query.order_by(members.c.created_at, members.c.id).offset(offset).limit(limit)
    )
    return list(rows), int(total)


def emails_of(conn: Connection, member_ids: Iterable[str]) -> dict[str, str]:
    """E-mail addresses of the given members (those that exist)."""
    ids = sorted(set(member_ids))
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):  # stay under bind-parameter limits
        query = select(members.c.id, members.c.email).where(
            members.c.id.in_(ids[start : start + 500])
        )
        found.update((r.id, r.email) for r in conn.execute(query))
    return found


def purge_sent_events(conn: Connection, member_id: str) -> None:
    """Drop the member's outbox rows already sent; unsent ones must still go out, in order."""
    conn.execute(
        delete(outbox).where(outbox.c.member_id == member_id, outbox.c.sent_at.is_not(None))
    )
