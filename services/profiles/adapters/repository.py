"""Reads and writes of members, inside the caller's transaction.

The JSON ``data`` column is the record; :func:`index_values` derives the indexed
copies (site, function, manager, opt-ins) and :func:`link_skills` the ``member_skills``
rows, so every write path keeps them in step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, exists, func, insert, select, update
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


def _member(row: Row[Any]) -> MemberRecord:
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


@dataclass(frozen=True, slots=True)
class MemberFilter:
    site: str | None = None
    external_id: str | None = None
    function: str | None = None
    opt_in: str | None = None
    skill: str | None = None
    min_level: int = 0


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


def load(conn: Connection, member_id: str) -> MemberRecord | None:
    row = conn.execute(select(members).where(members.c.id == member_id)).first()
    return None if row is None else _member(row)


def load_by_emails(conn: Connection, emails: Iterable[str]) -> dict[str, MemberRecord]:
    return {r.email: r for r in _load_where(conn, members.c.email, emails)}


def load_by_external_ids(conn: Connection, keys: Iterable[str]) -> dict[str, MemberRecord]:
    return {r.data["external_id"]: r for r in _load_where(conn, members.c.external_id, keys)}


def _load_where(conn: Connection, column: Any, values: Iterable[str]) -> list[MemberRecord]:
    wanted = list(values)
    found: list[MemberRecord] = []
    for start in range(0, len(wanted), 500):  # stay under bind-parameter limits
        query = select(members).where(column.in_(wanted[start : start + 500]))
        found += [_member(row) for row in conn.execute(query)]
    return found


def find_member_id(conn: Connection, reference: str) -> str | None:
    """The member whose id, HR external id or e-mail is ``reference``."""
    query = select(members.c.id).where(
        (members.c.id == reference)
        | (members.c.external_id == reference)
        | (members.c.email == reference.lower())
    )
    ids = list(conn.execute(query.limit(2)).scalars())
    return ids[0] if len(ids) == 1 else (reference if reference in ids else None)


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


def update_member(
    conn: Connection, row: MemberRecord, data: dict[str, Any], version: int, now: datetime
) -> bool:
    """Write ``data`` if nobody changed the member since ``row`` was read.

    Raises :class:`MemberAlreadyExists` when a concurrent request took the e-mail.
    """
    statement = (
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
    try:
        result = conn.execute(statement)
    except IntegrityError as exc:
        raise MemberAlreadyExists("email_taken_concurrently") from exc
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


def reports_of(conn: Connection, manager_id: str) -> list[MemberRecord]:
    query = select(members).where(members.c.manager_id == manager_id)
    return [_member(r) for r in conn.execute(query)]


def list_members(
    conn: Connection, where: MemberFilter, offset: int, limit: int
) -> tuple[list[MemberRecord], int]:
    query = select(members)
    if where.site is not None:
        query = query.where(members.c.site == where.site)
    if where.external_id is not None:
        query = query.where(members.c.external_id == where.external_id)
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
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(
        query.order_by(members.c.created_at, members.c.id).offset(offset).limit(limit)
    )
    return [_member(r) for r in rows], int(total)


def emails_of(conn: Connection, member_ids: Iterable[str]) -> dict[str, str]:
    """E-mail addresses of the given members (those that exist)."""
    return {k: email for k, (email, _) in hr_keys_of(conn, member_ids).items()}


def hr_keys_of(conn: Connection, member_ids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
    """E-mail address and HR external id of the given members (those that exist)."""
    ids = sorted(set(member_ids))
    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(ids), 500):  # stay under bind-parameter limits
        query = select(members.c.id, members.c.email, members.c.external_id).where(
            members.c.id.in_(ids[start : start + 500])
        )
        found.update((r.id, (r.email, r.external_id)) for r in conn.execute(query))
    return found


def purge_sent_events(conn: Connection, member_id: str) -> None:
    """Drop the member's outbox rows already sent; unsent ones must still go out, in order."""
    conn.execute(
        delete(outbox).where(outbox.c.member_id == member_id, outbox.c.sent_at.is_not(None))
    )
