"""Core statements compiled once per dialect and run on the DB-API cursor.

``Connection.execute`` of a statement SQLAlchemy has cached still builds an execution
context, looks the compiled form up, turns the parameters into the driver's, wraps
the cursor in a result and each row in a ``Row``: about 130 µs of a group commit's
unit of about 300 µs (profiled: ``PATCH /me``'s member read, update and outbox row,
a third of the writer thread's CPU). :class:`DriverStatement` keeps SQLAlchemy for
what it is good at (one statement definition, compiled by the dialect: ``?`` for
sqlite3, ``%(name)s::TYPE`` for psycopg) and leaves the rest to the driver: the
parameters go through the columns' own bind processors, the rows through their
result processors, exactly as SQLAlchemy applies them, and a driver error is raised
as SQLAlchemy's (``IntegrityError``, ``OperationalError`` ...), so callers and the
storage-fault checks see what they saw. It runs inside the caller's transaction on
the connection's own DB-API connection; no event of the engine's fires for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert

Convert = Callable[[Any], Any] | None
_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: bool
    #: (bind name, its bind processor, its value when the caller gives none)
    binds: tuple[tuple[str, Convert, Any], ...]
    #: (position, result processor) of each selected column that has one
    results: tuple[tuple[int, Callable[[Any], Any]], ...]

    def driver_params(self, params: Mapping[str, Any]) -> Any:
        values = []
        for name, convert, default in self.binds:
            value = params[name] if default is _UNSET else params.get(name, default)
            values.append(value if convert is None else convert(value))
        if self.positional:
            return tuple(values)
        return {name: v for v, (name, _, _) in zip(values, self.binds, strict=True)}

    def result_rows(self, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
        if not self.results:
            return [tuple(row) for row in rows]
        out = []
        for row in rows:
            values = list(row)
            for i, f in self.results:
                values[i] = f(values[i])
            out.append(tuple(values))
        return out


class DriverStatement:
    """A Core statement compiled once per dialect, executed on the DB-API cursor.

    ``columns`` names the columns an INSERT or UPDATE sets (its ``column_keys``, as
    ``execute(statement, {column: value})`` would infer them). Parameters are given
    by bind name; a bind with a value in the statement (``limit(10)``) may be omitted.

    Complexity: O(binds) Python per row on top of the driver's work.

    >>> from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine
    >>> from sqlalchemy import bindparam, insert, select
    >>> t = Table("t", MetaData(), Column("k", String, primary_key=True), Column("v", Integer))
    >>> engine = create_engine("sqlite://")
    >>> t.metadata.create_all(engine)
    >>> add = DriverStatement(insert(t), columns=["k", "v"])
    >>> get = DriverStatement(select(t.c.v).where(t.c.k == bindparam("k")))
    >>> with engine.begin() as conn:
    ...     add.executemany(conn, [{"k": "a", "v": 1}, {"k": "b", "v": 2}])
    ...     get.all(conn, {"k": "b"})
    [(2,)]
    """

    def __init__(self, statement: Executable, *, columns: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.columns = None if columns is None else list(columns)
        self._by_dialect: dict[int, tuple[Dialect, _Compiled]] = {}
        self._lock = threading.Lock()

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(id(dialect))
        if found is not None and found[0] is dialect:
            return found[1]
        with self._lock:
            built = _compile(self.statement, dialect, self.columns)
            self._by_dialect[id(dialect)] = (dialect, built)
        return built

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """Run the statement once; the driver's row count."""
        compiled = self.compiled(conn.dialect)
        return _run(conn, compiled.sql, compiled.driver_params(params), many=False)[0]

    def executemany(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run the statement for each row, in one ``executemany`` (nothing when no row)."""
        if rows:
            compiled = self.compiled(conn.dialect)
            _run(conn, compiled.sql, [compiled.driver_params(r) for r in rows], many=True)

    def all(self, conn: Connection, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of a SELECT, each value as SQLAlchemy would give it."""
        compiled = self.compiled(conn.dialect)
        rows = _run(conn, compiled.sql, compiled.driver_params(params), many=False)[1]
        return compiled.result_rows(rows)


def execute_text(conn: Connection, sql: str) -> None:
    """Run SQL text without parameters (``BEGIN IMMEDIATE``, ``COMMIT``) on the cursor,
    a driver error raised as SQLAlchemy's."""
    _run(conn, sql, (), many=False)


def _compile(statement: Executable, dialect: Dialect, columns: list[str] | None) -> _Compiled:
    compiled = statement.compile(  # type: ignore[attr-defined]
        dialect=dialect,
        column_keys=columns,
        # no implicit RETURNING of the new key (PostgreSQL): nobody reads it here
        for_executemany=isinstance(statement, Insert),
    )
    assert isinstance(compiled, SQLCompiler)
    names = compiled.positiontup if compiled.positional else list(compiled.binds)
    assert names is not None
    binds = []
    for name in names:
        bind = compiled.binds[name]
        default = _UNSET if bind.required else bind.effective_value
        binds.append((name, bind.type.dialect_impl(dialect).bind_processor(dialect), default))
    processors = [
        column.type.dialect_impl(dialect).result_processor(dialect, None)
        for column in getattr(statement, "selected_columns", ())
    ]
    results = tuple((i, f) for i, f in enumerate(processors) if f is not None)
    return _Compiled(compiled.string, compiled.positional, tuple(binds), results)


def _run(conn: Connection, sql: str, params: Any, *, many: bool) -> tuple[int, Sequence[Any]]:
    dbapi_conn = conn.connection.dbapi_connection
    assert dbapi_conn is not None  # a connection in use has one
    cursor = dbapi_conn.cursor()
    dialect = conn.dialect
    try:
        if many:
            cursor.executemany(sql, params)
        else:
            cursor.execute(sql, params)
        rows = cursor.fetchall() if cursor.description is not None else []
        return cursor.rowcount, rows
    except dialect.loaded_dbapi.Error as exc:
        lost = dialect.is_disconnect(exc, dbapi_conn, cursor)
        if lost:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            sql,
            params,
            exc,
            dialect.loaded_dbapi.Error,
            connection_invalidated=lost,
            dialect=dialect,
        ) from exc
    finally:
        cursor.close()
