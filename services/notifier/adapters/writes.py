"""Writes to the notifier's database: one writer at a time on SQLite, group commit.

SQLite lets one writer in at a time and makes the others sleep in its busy handler
(1 ms, 2 ms, ... up to 100 ms per retry): with several worker threads that sleeping,
not the writes, dominated. Threads of one process therefore queue on a lock, and the
per-message writes of the dispatcher share their commits (:func:`grouped`).
Several notifier processes (``ENTRAIDE_NOTIFIER_PROCESSES``) queue on a file lock beside
the database as well (:func:`_between_processes`): the one that waits is woken when the
lock is released, where SQLite's busy handler would sleep 1, 2, 5... ms, and a
transaction that reads before it writes (a claim) cannot meet another process's commit
in between (SQLite answers that with "database is locked" at once, in WAL mode).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event

_sqlite_writes = threading.Lock()
_lock_files: dict[str, int] = {}


@contextmanager
def _between_processes(engine: Engine) -> Iterator[None]:
    """The SQLite file's writer lock shared by the notifier's processes (``flock`` on
    ``<database>-writer``; taken under :data:`_sqlite_writes`, so one thread of each
    process waits for it). An in-memory database is one process's: nothing to share."""
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    fd = _lock_files.get(database)
    if fd is None:
        fd = _lock_files[database] = os.open(f"{database}-writer", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "sqlite":
        with _sqlite_writes, _between_processes(engine), engine.begin() as conn:
            yield conn
    else:
        with engine.begin() as conn:
            yield conn


class _Request:
    __slots__ = ("done", "error", "result", "work")

    def __init__(self, work: Callable[[Connection], Any]) -> None:
        self.work, self.done = work, False
        self.result: Any = None
        self.error: BaseException | None = None


_queue: list[_Request] = []
_kept: dict[Engine, Connection] = {}
_queue_lock = threading.Lock()


def _unsynced_connection(engine: Engine) -> Connection:
    """The connection kept for :func:`grouped`'s writes, ``synchronous=NORMAL`` set once
    (called under the writer lock). Setting it, then back, around each group of writes
    cost four more statements and two commits per group: ~10 % of the notifier's CPU
    per e-mail (py-spy --gil, issue 14). It never goes back to the pool with that
    setting: it is invalidated on an error and closed with the engine."""
    conn = _kept.get(engine)
    if conn is None or conn.closed or conn.invalidated:
        conn = engine.connect()
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        conn.commit()
        if engine not in _kept:
            event.listen(engine, "engine_disposed", lambda e: _forget(e, close=True))
        _kept[engine] = conn
    return conn


def _forget(engine: Engine, close: bool = False) -> None:
    conn = _kept.pop(engine, None)
    if conn is not None:
        (conn.close if close else conn.invalidate)()


def _commit_unsynced(engine: Engine, batch: list[_Request]) -> list[Any]:
    """One transaction for ``batch``, committed without waiting for the disk (SQLite
    ``synchronous=NORMAL``, on a connection kept for these writes only).

    These are the send's own writes (``start_sending``, the commit point ``mark_sent``):
    the commit point must be visible to a restarted process before the SMTP terminator
    is written, and nothing more. Waiting for the fsync of ``synchronous=FULL`` there
    widens the gap between "recorded as sent" and "terminator written" from
    microseconds to the fsync's time (tens of milliseconds on a busy disk): a kill -9 in
    it loses the e-mail. A power loss may instead roll such a commit back, and the
    e-mail is then sent twice (as before issue 13, see ``handshake``).
    """
    conn = _unsynced_connection(engine)
    try:
        with conn.begin():
            return [r.work(conn) for r in batch]
    except BaseException:
        _forget(engine)  # whatever state it is in, it is not reused
        raise


def grouped(engine: Engine, work: Callable[[Connection], Any]) -> Any:
    """Run ``work(conn)`` in a transaction, sharing the commit with other threads.

    SQLite (group commit): the thread that gets the writer lock runs every request
    queued meanwhile in one transaction; the others find theirs done. Each request
    is its own statement, so one lost lease does not spoil its neighbours; an error
    fails the whole group (nothing of it committed) and is raised in every thread.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            return work(conn)
    request = _Request(work)
    with _queue_lock:
        _queue.append(request)
    with _sqlite_writes:
        if not request.done:
            _commit_queued(engine)
    if request.error is not None:
        raise request.error
    return request.result


def _commit_queued(engine: Engine) -> None:
    """Commit every queued request (under the writer locks; the batch is taken once the
    other processes' writer is done, so the requests queued meanwhile join it)."""
    with _between_processes(engine):
        with _queue_lock:
            batch, _queue[:] = list(_queue), []
        try:
            results = _commit_unsynced(engine, batch)
        except BaseException as exc:
            for r in batch:
                r.error, r.done = exc, True
        else:
            for r, result in zip(batch, results, strict=True):
                r.result, r.done = result, True
