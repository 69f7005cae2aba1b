"""Reads and writes of the skills and themes catalogues, inside the caller's transaction.

Both catalogues have the same shape (code, labels, aliases; skills add a ``kind``) and
a link table that says which members cite an entry; :class:`CatalogueTables` names
the tables of one of them, so every function here serves both.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from services.profiles.adapters.orm import member_skills, member_themes, skills, themes
from services.profiles.domain.catalogue import Catalogue, Entry
from shared import group_commit
from shared.driver_sql import DriverStatement

Which = Literal["skills", "themes"]


class EntryTaken(Exception):
    """The code is already in the catalogue (a concurrent insert got there first)."""


class EntryCited(Exception):
    """A member cites the entry: it cannot be deleted."""


@dataclass(frozen=True, slots=True)
class CatalogueTables:
    entries: Table
    links: Table


TABLES: dict[Which, CatalogueTables] = {
    "skills": CatalogueTables(skills, member_skills),
    "themes": CatalogueTables(themes, member_themes),
}


def catalogue(conn: Connection, which: Which) -> Catalogue:
    """The whole catalogue, for resolving names and suggesting entries."""
    table = TABLES[which].entries
    query = select(table.c.code, table.c.label, table.c.label_en, table.c.aliases)
    return Catalogue(
        Entry(r.code, r.label, r.label_en or "", tuple(r.aliases or ()))
        for r in conn.execute(query.order_by(table.c.code))
    )


#: Catalogues already built, per engine, with the marks they were built at.
_kept: weakref.WeakKeyDictionary[Engine, tuple[list[tuple[Any, ...]], Catalogue, Catalogue]] = (
    weakref.WeakKeyDictionary()
)
_kept_lock = threading.Lock()
#: How many entries each catalogue has and when the latest was written (one query).
_MARKS = DriverStatement(
    select(func.count(), func.max(skills.c.updated_at)).union_all(
        select(func.count(), func.max(themes.c.updated_at))
    )
)


def kept_catalogues(conn: Connection) -> tuple[Catalogue, Catalogue]:
    """The skills and themes catalogues as :func:`catalogue` reads them, rebuilt only
    when one changed.

    Every write of a profile resolves its skills and themes against both catalogues;
    reading and indexing them (dozens of entries, hundreds of names) each time cost more
    than the rest of the write. One aggregate query (how many entries, the latest
    ``updated_at``: every insert and update sets it, a delete changes the count) tells
    whether the catalogues kept are still the stored ones. They are shared: callers
    must not change them (the editing use cases use :func:`catalogue`).

    In a group commit (:func:`shared.group_commit.memo`) the check is made once for the
    whole group: no other writer can change a catalogue while its transaction runs.
    """
    memo = group_commit.memo(conn)
    if memo is not None and _MEMO_KEY in memo:
        memoised: tuple[Catalogue, Catalogue] = memo[_MEMO_KEY]
        return memoised
    built = _current_catalogues(conn)
    if memo is not None:
        memo[_MEMO_KEY] = built
    return built


_MEMO_KEY = "profiles.catalogues"


def _current_catalogues(conn: Connection) -> tuple[Catalogue, Catalogue]:
    marks = _MARKS.all(conn, {})
    with _kept_lock:
        kept = _kept.get(conn.engine)
    if kept is not None and kept[0] == marks:
        return kept[1], kept[2]
    built = catalogue(conn, "skills"), catalogue(conn, "themes")
    with _kept_lock:
        _kept[conn.engine] = (marks, *built)
    return built


def entries(
    conn: Connection,
    which: Which,
    codes: Iterable[str] | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Entries with how many members cite them (a slice when ``limit`` is set).

    The members are counted in one grouped query over the ``(code, member_id)`` index,
    for the ``codes`` asked only when they are given (one entry, a member's export).
    """
    t = TABLES[which]
    usage_query = select(
        t.links.c.code, func.count(func.distinct(t.links.c.member_id)).label("n")
    ).group_by(t.links.c.code)
    query = select(t.entries)
    if codes is not None:
        wanted = list(codes)
        usage_query = usage_query.where(t.links.c.code.in_(wanted))
        query = query.where(t.entries.c.code.in_(wanted))
    usage = usage_query.subquery()
    query = query.add_columns(func.coalesce(usage.c.n, 0).label("members")).outerjoin(
        usage, usage.c.code == t.entries.c.code
    )
    order = [t.entries.c.code] if which == "themes" else [skills.c.kind, skills.c.code]
    query = query.order_by(*order).offset(offset).limit(limit)
    return [_public(dict(r._mapping)) for r in conn.execute(query)]


def _public(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in row.items() if k not in ("created_at", "updated_at")}
    out["aliases"] = list(out.get("aliases") or ())
    out["members"] = int(out["members"])
    return out


def count(conn: Connection, which: Which) -> int:
    table = TABLES[which].entries
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def insert_entry(conn: Connection, which: Which, values: Mapping[str, Any], now: datetime) -> None:
    """Add an entry; :class:`EntryTaken` when its code exists (nothing written)."""
    table = TABLES[which].entries
    try:
        with conn.begin_nested():
            conn.execute(insert(table).values(**values, created_at=now, updated_at=now))
    except IntegrityError as exc:
        raise EntryTaken(values["code"]) from exc


def update_entry(
    conn: Connection, which: Which, code: str, values: Mapping[str, Any], now: datetime
) -> bool:
    """Change an entry; False when there is no such code."""
    table = TABLES[which].entries
    result = conn.execute(
        update(table).where(table.c.code == code).values(**values, updated_at=now)
    )
    return result.rowcount == 1


def delete_entry(conn: Connection, which: Which, code: str) -> None:
    """Delete an entry; :class:`EntryCited` when a member cites it meanwhile."""
    table = TABLES[which].entries
    try:
        with conn.begin_nested():
            conn.execute(delete(table).where(table.c.code == code))
    except IntegrityError as exc:
        raise EntryCited(code) from exc


def theme_links(member_id: str, data: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [{"member_id": member_id, "code": c} for c in dict.fromkeys(data.get("themes") or ())]


def link_themes(conn: Connection, member_id: str, data: Mapping[str, Any]) -> None:
    """Make ``member_themes`` say which themes the member cites (after any write)."""
    _UNLINK_THEMES.execute(conn, {"member_id": member_id})
    _LINK_THEMES.executemany(conn, theme_links(member_id, data))


_UNLINK_THEMES = DriverStatement(
    delete(member_themes).where(member_themes.c.member_id == bindparam("member_id"))
)
_LINK_THEMES = DriverStatement(insert(member_themes), columns=("member_id", "code"))
