"""Members found by keys and filters (lists, HR keys, e-mails, reports), as plain records.

Read-only, inside the caller's transaction; one member's reads and every write are in
:mod:`repository`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, exists, func, or_, select

from services.profiles.adapters.orm import OPT_IN_COLUMNS, member_skills, members
from services.profiles.adapters.repository import MemberRecord, record_of


@dataclass(frozen=True, slots=True)
class MemberFilter:
    site: str | None = None
    external_id: str | None = None
    function: str | None = None
    opt_in: str | None = None
    skill: str | None = None
    min_level: int = 0
    arrived_since: date | None = None
    #: "active": no ``left_on``; "left": marked as having left (HR deactivation).
    status: str | None = None
    #: Only these members (the portal fetches names by ids, a page at a time).
    ids: tuple[str, ...] = ()
    #: Display names containing this text, whatever the case (the portal's name picker).
    name: str | None = None


def load_by_emails(conn: Connection, emails: Iterable[str]) -> dict[str, MemberRecord]:
    return {r.email: r for r in _load_where(conn, members.c.email, emails)}


def load_by_external_ids(conn: Connection, keys: Iterable[str]) -> dict[str, MemberRecord]:
    return {r.data["external_id"]: r for r in _load_where(conn, members.c.external_id, keys)}


def _load_where(conn: Connection, column: Any, values: Iterable[str]) -> list[MemberRecord]:
    wanted = list(values)
    found: list[MemberRecord] = []
    for start in range(0, len(wanted), 500):  # stay under bind-parameter limits
        query = select(members).where(column.in_(wanted[start : start + 500]))
        found += [record_of(row) for row in conn.execute(query)]
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


def reports_of(conn: Connection, manager_id: str) -> list[MemberRecord]:
    query = select(members).where(members.c.manager_id == manager_id)
    return [record_of(r) for r in conn.execute(query)]


def list_members(
    conn: Connection, where: MemberFilter, offset: int, limit: int
) -> tuple[list[MemberRecord], int]:
    query = _filtered(select(members), where)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(
        query.order_by(members.c.created_at, members.c.id).offset(offset).limit(limit)
    )
    return [record_of(r) for r in rows], int(total)


def list_names(
    conn: Connection, where: MemberFilter, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """Id, display name and site of the members found, in the order of
    :func:`list_members`, without reading (or decoding) the rest of each profile."""
    name = members.c.data["display_name"].as_string().label("display_name")
    query = _filtered(select(members.c.id, name, members.c.site), where)
    total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = conn.execute(
        query.order_by(members.c.created_at, members.c.id).offset(offset).limit(limit)
    )
    return [dict(r._mapping) for r in rows], int(total)


def _filtered(query: Select[Any], where: MemberFilter) -> Select[Any]:
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
    if where.arrived_since is not None:
        # ISO dates compare as text; JSON access compiles per dialect (no migration).
        arrived = members.c.data["start_date"].as_string()
        query = query.where(arrived >= where.arrived_since.isoformat())
    if where.status is not None:
        left_on = members.c.data["left_on"].as_string()
        query = query.where(left_on.is_(None) if where.status == "active" else left_on.is_not(None))
    if where.ids:
        query = query.where(members.c.id.in_(where.ids))
    if where.name:
        # SQLite's lower() folds ASCII letters only: the text as typed is tried too, so
        # "Élodie" finds "Élodie" there (PostgreSQL folds every letter).
        shown = members.c.data["display_name"].as_string()
        query = query.where(or_(func.lower(shown).contains(where.name.lower(), autoescape=True),
                                shown.contains(where.name, autoescape=True)))  # fmt: skip
    return query


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
