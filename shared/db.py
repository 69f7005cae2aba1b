"""Database plumbing shared by the services (SQLAlchemy 2).

SQLite file by default (WAL with ``synchronous=FULL`` so a commit is durable when it
returns, foreign keys, a busy timeout so a reader never fails on a writer), PostgreSQL
by URL (``postgresql+psycopg://...``). Each service owns its own database; its schema
is migrated by Alembic (:mod:`shared.migrations`).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Table,
    TypeDecorator,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url

log = logging.getLogger("entraide.db")
T = TypeVar("T")


class EncodedJson(str):
    """JSON text already encoded (e.g. by pydantic's ``model_dump_json``), for a ``JSON``
    column: the engine stores it as is instead of encoding it a second time."""

    __slots__ = ()


def json_serializer(value: Any) -> str:
    """The engines' JSON encoder: :class:`EncodedJson` as is, anything else ``json.dumps``.

    >>> json_serializer(EncodedJson('{"a":1}')), json_serializer({"a": 1})
    ('{"a":1}', '{"a": 1}')
    """
    return value if isinstance(value, EncodedJson) else json.dumps(value)


#: Keys per ``IN (...)`` of :meth:`DriverRows.where_in` (SQLite before 3.32 allows 999).
IN_CHUNK = 999


class DriverRows:
    """Bulk statements on one table over plain tuples, handed to the DB-API driver as is.

    SQLAlchemy Core's ``execute(insert(table), [dict, ...])`` builds a dict of bound
    parameters and runs each column's bind processor for every row, in Python: about
    half the store's CPU time for a batch of a thousand member events. Here the
    statement text is built once from the table's own names, in the driver's placeholder
    style (``?`` for sqlite3, ``%s`` for psycopg), and the rows go to the driver's
    ``executemany`` as tuples. Values must already be what the driver takes:
    :meth:`bind` converts one with the column type's own bind processor (the same as
    SQLAlchemy's, e.g. a timestamp once per batch, or JSON text).

    Complexity: one statement per call, O(rows) tuples, no per-row Python in SQLAlchemy.

    >>> from sqlalchemy import Column, Integer, MetaData, String, create_engine
    >>> t = Table("t", MetaData(), Column("k", String, primary_key=True), Column("v", Integer))
    >>> engine = create_engine("sqlite://")
    >>> t.metadata.create_all(engine)
    >>> with engine.begin() as conn:
    ...     rows = DriverRows(conn, t)
    ...     rows.insert(["k", "v"], [("a", 1), ("b", 2)])
    ...     rows.insert_mappings([{"k": "c", "v": 4}])
    ...     rows.update(["v"], "k", [(3, "b")])
    ...     sorted(rows.where_in(["k", "v"], "k", ["a", "b", "c", "z"]))
    [('a', 1), ('b', 3), ('c', 4)]
    """

    def __init__(self, conn: Connection, table: Table) -> None:
        self.conn = conn
        self.table = table
        self.mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"

    def binder(self, column: str) -> Callable[[Any], Any]:
        """What turns a value into what the driver receives for ``column``: its type's
        bind processor, as SQLAlchemy applies it (identity when the type has none)."""
        dialect = self.conn.dialect
        process = self.table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        return (lambda value: value) if process is None else process

    def bind(self, column: str, value: Any) -> Any:
        """``value`` as the driver receives it for ``column``."""
        return self.binder(column)(value)

    def memo_binder(self, column: str) -> Callable[[Any], Any]:
        """:meth:`binder`, each distinct (hashable) value converted once: the timestamps
        of a batch are a handful shared by thousands of rows."""
        convert = self.binder(column)
        done: dict[Any, Any] = {}

        def bound(value: Any) -> Any:
            try:
                found = done.get(value, done)
            except TypeError:  # unhashable (a JSON list): converted each time
                return convert(value)
            if found is done:
                found = done[value] = convert(value)
            return found

        return bound

    def insert(self, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if rows:
            marks = ", ".join([self.mark] * len(columns))
            sql = f"INSERT INTO {self.table.name} ({', '.join(columns)}) VALUES ({marks})"
            self.conn.exec_driver_sql(sql, list(rows))

    def insert_mappings(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Rows as ``column -> value`` mappings (the first row's columns, in its order),
        each value converted by its column's bind processor (:meth:`memo_binder`)."""
        if rows:
            columns = list(rows[0])
            convert = [(c, self.memo_binder(c)) for c in columns]
            self.insert(columns, [tuple(f(r[c]) for c, f in convert) for r in rows])

    def update(self, columns: Sequence[str], key: str, rows: Sequence[tuple[Any, ...]]) -> None:
        """Each row is the new values of ``columns`` then the ``key`` of the row to update."""
        if rows:
            sets = ", ".join(f"{c} = {self.mark}" for c in columns)
            sql = f"UPDATE {self.table.name} SET {sets} WHERE {key} = {self.mark}"
            self.conn.exec_driver_sql(sql, list(rows))

    def where_in(
        self, columns: Sequence[str], key: str, keys: Collection[Any]
    ) -> list[tuple[Any, ...]]:
        """``columns`` of the rows whose ``key`` is one of ``keys`` (raw driver values),
        in statements of at most :data:`IN_CHUNK` keys (SQLite's limit of bound values)."""
        found: list[tuple[Any, ...]] = []
        wanted = list(keys)
        for start in range(0, len(wanted), IN_CHUNK):
            chunk = tuple(wanted[start : start + IN_CHUNK])
            marks = ", ".join([self.mark] * len(chunk))
            sql = f"SELECT {', '.join(columns)} FROM {self.table.name} WHERE {key} IN ({marks})"
            found.extend(tuple(row) for row in self.conn.exec_driver_sql(sql, chunk))
        return found


class UtcDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def make_engine(url: str, synchronous: str = "FULL", **kwargs: Any) -> Engine:
    """Engine for ``url``; SQLite files get WAL and foreign keys, folders are created.

    ``synchronous`` is SQLite's: ``FULL`` (durable commits) unless a deployment chose
    ``NORMAL`` (``ENTRAIDE_SQLITE_SYNCHRONOUS``: faster, may lose the last commits on a
    power loss, never on a process crash).
    """
    kwargs.setdefault("json_serializer", json_serializer)
    if synchronous not in {"FULL", "NORMAL"}:
        raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
    u = make_url(url)
    if u.drivername.startswith("postgresql") and u.drivername == "postgresql":
        url = u.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if u.drivername.startswith("sqlite"):
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            # FULL: every commit is synced to disk before it returns, so a write that was
            # answered 2xx (or an event acknowledged) survives a power loss; NORMAL in
            # WAL mode may lose the last commits.
            cur.execute(f"PRAGMA synchronous={synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def reads_inline(engine: Engine | None) -> bool:
    """True for a SQLite file: in WAL mode a read never waits for a writer."""
    return (
        engine is not None
        and engine.dialect.name == "sqlite"
        and engine.url.database not in (None, "", ":memory:")
    )


async def read(engine: Engine | None, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, a short read of ``engine``'s database, from async code.

    On a SQLite file it runs at once, in the event loop: a primary-key read takes tens
    of microseconds and, in WAL mode, never waits for a writer, while a hop to a worker
    thread and back costs more than the read and, under load, makes every request
    queue for the GIL behind the pool's threads. Any other database is reached over
    the network: the read runs in a worker thread.
    """
    if reads_inline(engine):
        return fn(*args)
    return await asyncio.to_thread(fn, *args)


def is_reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # readiness probe: any failure means "not ready"
        log.warning("database not reachable", exc_info=True)
        return False
