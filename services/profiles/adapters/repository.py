"""Reads and writes of one member, inside the caller's transaction.

The JSON ``data`` column is the record; :func:`index_values` derives the indexed
copies (site, function, manager, HR key, team, opt-ins) and :func:`skill_links` the
``member_skills`` rows (``member_themes`` by the catalogue repository's
:func:`theme_links`), so every write path keeps them in step. Members found by keys
and filters are read by :mod:`member_queries`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from services.profiles.adapters.catalogue_repository import link_themes, theme_links
from services.profiles.adapters.orm import (
    OPT_IN_COLUMNS,
    member_skills,
    member_themes,
    members,
    outbox,
)
from services.profiles.domain.errors import MemberAlreadyExists
from shared.driver_sql import DriverStatement


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A stored member as plain data: the profile (``data``) and its bookkeeping."""

    id: str
    email: str
    data: dict[str, Any]
    version: int
    revision: int
    created_at: datetime
    updated_at: datetime
    manager_id: str | None = None


def record_of(row: Row[*tuple[Any, ...]]) -> MemberRecord:
    return MemberRecord(
        id=row.id,
        email=row.email,
        data=dict(row.data),
        version=row.version,
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
        manager_id=row.manager_id,
    )


def index_values(data: Mapping[str, Any]) -> dict[str, Any]:
    opt_ins = data.get("opt_ins") or {}
    return {
        "email": data["email"],
        "site": data.get("site"),
        "function": data.get("function"),
        "manager_id": data.get("manager_id"),
        "external_id": data.get("external_id"),
        "team": data.get("team"),
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


#: Built once: building a statement costs more than running it (profiled: GET /me).
#: Only the columns of a :class:`MemberRecord`: the indexed copies are derived from
#: ``data``, and each column read back costs its type's conversion.
_BY_ID = select(
    members.c.id,
    members.c.email,
    members.c.data,
    members.c.version,
    members.c.revision,
    members.c.created_at,
    members.c.updated_at,
    members.c.manager_id,
).where(members.c.id == bindparam("member_id"))
#: Run on the driver's cursor (:mod:`shared.driver_sql`): every GET and PATCH of
#: ``/me`` reads one member, and SQLAlchemy's execution machinery cost more than it.
_LOAD = DriverStatement(_BY_ID)
#: The same read for a write: PostgreSQL locks the row until the transaction ends, so
#: concurrent writes of one member queue instead of failing their optimistic check over
#: and over (SQLite ignores it: its writers are already serialised).
_LOAD_FOR_UPDATE = DriverStatement(_BY_ID.with_for_update())


def load(conn: Connection, member_id: str, *, for_update: bool = False) -> MemberRecord | None:
    statement = _LOAD_FOR_UPDATE if for_update else _LOAD
    rows = statement.all(conn, {"member_id": member_id})
    if not rows:
        return None
    id_, email, data, version, revision, created_at, updated_at, manager_id = rows[0]
    return MemberRecord(
        id_, email, dict(data), version, revision, created_at, updated_at, manager_id
    )


def external_id_taken(conn: Connection, external_id: str, except_id: str | None = None) -> bool:
    query = select(members.c.id).where(members.c.external_id == external_id)
    if except_id is not None:
        query = query.where(members.c.id != except_id)
    return conn.execute(query).first() is not None


def email_taken(conn: Connection, email: str, except_id: str | None = None) -> bool:
    query = select(members.c.id).where(members.c.email == email)
    if except_id is not None:
        query = query.where(members.c.id != except_id)
    return conn.execute(query).first() is not None


def member_exists(conn: Connection, member_id: str) -> bool:
    return conn.execute(select(members.c.id).where(members.c.id == member_id)).first() is not None


def insert_members(
    conn: Connection, rows: Sequence[tuple[str, dict[str, Any]]], now: datetime, version: int = 1
) -> None:
    """Insert new members (id, data) at ``version``, with their skill links.

    Raises :class:`MemberAlreadyExists` when a concurrent request took an id or e-mail.
    """
    if not rows:
        return
    try:
        _insert_members(conn, rows, now, version)
    except IntegrityError as exc:
        raise MemberAlreadyExists("member_created_concurrently") from exc


def _insert_members(
    conn: Connection, rows: Sequence[tuple[str, dict[str, Any]]], now: datetime, version: int
) -> None:
    conn.execute(
        insert(members),
        [
            {
                "id": member_id,
                "data": data,
                "version": version,
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


#: The columns :func:`update_member` sets (the record's and the indexed copies).
_SET = ("data", "version", "revision", "updated_at", *index_values({"email": ""}))
#: Built once, run on the driver's cursor (the write of every ``PATCH /me``).
_UPDATE = DriverStatement(
    update(members).where(
        members.c.id == bindparam("b_id"), members.c.revision == bindparam("b_revision")
    ),
    columns=_SET,
)
_UNLINK_SKILLS = DriverStatement(
    delete(member_skills).where(member_skills.c.member_id == bindparam("member_id"))
)
_LINK_SKILLS = DriverStatement(
    insert(member_skills), columns=("member_id", "code", "relation", "level")
)


def updated_record(
    row: MemberRecord, data: dict[str, Any], version: int, now: datetime
) -> MemberRecord:
    """``row`` as :func:`update_member` leaves it stored."""
    return replace(
        row,
        email=data["email"],
        data=data,
        version=version,
        revision=row.revision + 1,
        updated_at=now,
        manager_id=data.get("manager_id"),
    )


def update_member(
    conn: Connection, row: MemberRecord, data: dict[str, Any], version: int, now: datetime
) -> bool:
    """Write ``data`` if nobody changed the member since ``row`` was read.

    Raises :class:`MemberAlreadyExists` when a concurrent request took the e-mail.
    """
    values = {
        "b_id": row.id,
        "b_revision": row.revision,
        "data": data,
        "version": version,
        "revision": row.revision + 1,
        "updated_at": now,
        **index_values(data),
    }
    try:
        updated = _UPDATE.execute(conn, values)
    except IntegrityError as exc:
        raise MemberAlreadyExists("email_taken_concurrently") from exc
    if updated != 1:
        return False
    links = skill_links(row.id, data)
    if links != skill_links(row.id, row.data):
        _UNLINK_SKILLS.execute(conn, {"member_id": row.id})
        _LINK_SKILLS.executemany(conn, links)
    if data.get("themes") != row.data.get("themes"):
        link_themes(conn, row.id, data)
    return True


def delete_member(conn: Connection, row: MemberRecord) -> bool:
    """Delete the member if nobody changed it since ``row`` was read."""
    result = conn.execute(
        delete(members).where(members.c.id == row.id, members.c.revision == row.revision)
    )
    if result.rowcount != 1:
        return False
    conn.execute(delete(member_skills).where(member_skills.c.member_id == row.id))
    conn.execute(delete(member_themes).where(member_themes.c.member_id == row.id))
    return True


def purge_sent_events(conn: Connection, member_id: str) -> None:
    """Drop the member's outbox rows already sent; unsent ones must still go out, in order."""
    conn.execute(
        delete(outbox).where(outbox.c.member_id == member_id, outbox.c.sent_at.is_not(None))
    )
