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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import DateTime, Engine, TypeDecorator, create_engine, event, text
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
