"""Organisation reference data (outside managers, teams) and erasure tombstones.

Managers who are not members and teams live in tables of their own: they are never
members, so they never appear in member lists, counts, exports or events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, literal, select, union, update

from services.profiles.adapters.orm import erased_members, members, org_managers, org_teams
from shared.driver_sql import DriverStatement


@dataclass(frozen=True, slots=True)
class ManagerRecord:
    """A manager who is not a member: HR key, name, e-mail, own manager's node, team."""

    key: str
    name: str
    email: str | None
    manager: str | None
    team: str | None


@dataclass(frozen=True, slots=True)
class Tombstone:
    """What is kept of an erased member: no personal data."""

    member_id: str
    erased_at: datetime
    last_version: int


def _manager(row: Any) -> ManagerRecord:
    return ManagerRecord(row.key, row.name, row.email, row.manager, row.team)


def edges(conn: Connection) -> list[tuple[str, str | None]]:
    """``(node, manager node)`` of every member and outside manager."""
    found = [(r.id, r.manager_id) for r in conn.execute(select(members.c.id, members.c.manager_id))]
    found += [
        (f"mgr:{r.key}", r.manager)
        for r in conn.execute(select(org_managers.c.key, org_managers.c.manager))
    ]
    return found


def managers(conn: Connection) -> dict[str, ManagerRecord]:
    return {r.key: _manager(r) for r in conn.execute(select(org_managers))}


def manager_page(conn: Connection, offset: int, limit: int) -> tuple[list[ManagerRecord], int]:
    total = conn.execute(select(func.count()).select_from(org_managers)).scalar_one()
    rows = conn.execute(
        select(org_managers).order_by(org_managers.c.key).offset(offset).limit(limit)
    )
    return [_manager(r) for r in rows], int(total)


def find_outside_key(conn: Connection, reference: str) -> str | None:
    """The outside manager whose HR key or e-mail is ``reference``."""
    query = select(org_managers.c.key).where(
        (org_managers.c.key == reference) | (org_managers.c.email == reference.lower())
    )
    return conn.execute(query.limit(1)).scalar_one_or_none()


def save_managers(
    conn: Connection, records: Iterable[ManagerRecord], known: Iterable[str], now: datetime
) -> None:
    """Insert new outside managers and update the ``known`` ones."""
    existing = set(known)
    for rec in records:
        values = {"name": rec.name, "email": rec.email, "manager": rec.manager, "team": rec.team}
        if rec.key in existing:
            conn.execute(
                update(org_managers)
                .where(org_managers.c.key == rec.key)
                .values(**values, updated_at=now)
            )
        else:
            conn.execute(
                insert(org_managers).values(key=rec.key, **values, created_at=now, updated_at=now)
            )


def save_teams(conn: Connection, teams: dict[str, str | None]) -> None:
    """Add the unknown team codes (named after their code unless a name is given)."""
    known = {r.code: r.name for r in conn.execute(select(org_teams))}
    for code, name in teams.items():
        if code not in known:
            conn.execute(insert(org_teams).values(code=code, name=name or code))
        elif name and name != known[code]:
            conn.execute(update(org_teams).where(org_teams.c.code == code).values(name=name))


def teams(conn: Connection) -> list[tuple[str, str]]:
    """Every team: the named ones and any code a member or manager carries."""
    used = union(
        select(members.c.team.label("code")).where(members.c.team.is_not(None)),
        select(org_managers.c.team.label("code")).where(org_managers.c.team.is_not(None)),
        select(org_teams.c.code.label("code")),
    ).subquery()
    query = select(
        used.c.code, func.coalesce(org_teams.c.name, used.c.code, literal(""))
    ).outerjoin(org_teams, org_teams.c.code == used.c.code)
    return sorted((str(code), str(name)) for code, name in conn.execute(query))


#: Built once: it runs on every authenticated request (tokens of erased members).
_TOMBSTONE = select(erased_members).where(erased_members.c.member_id == bindparam("member_id"))


#: The erasure check of every authenticated request needs the date only; it runs on
#: the driver's cursor (:mod:`shared.driver_sql`), in the event loop on a SQLite file.
_ERASED_AT = DriverStatement(
    select(erased_members.c.erased_at).where(erased_members.c.member_id == bindparam("member_id"))
)


def erased_at(conn: Connection, member_id: str) -> datetime | None:
    """When ``member_id``'s data was last erased, or None (never)."""
    rows = _ERASED_AT.all(conn, {"member_id": member_id})
    found: datetime | None = rows[0][0] if rows else None
    return found


def tombstone(conn: Connection, member_id: str) -> Tombstone | None:
    row = conn.execute(_TOMBSTONE, {"member_id": member_id}).first()
    return None if row is None else Tombstone(row.member_id, row.erased_at, row.last_version)


def bury(conn: Connection, member_id: str, last_version: int, now: datetime) -> None:
    """Record (or move forward) the tombstone of an erased member."""
    values = {"erased_at": now, "last_version": last_version}
    done = conn.execute(
        update(erased_members).where(erased_members.c.member_id == member_id).values(**values)
    )
    if done.rowcount != 1:
        conn.execute(insert(erased_members).values(member_id=member_id, **values))
