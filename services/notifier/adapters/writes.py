"""Writes to the notifier's database: one writer at a time on SQLite, group commit.

SQLite lets one writer in at a time and makes the others sleep in its busy handler
(1 ms, 2 ms, ... up to 100 ms per retry): with several worker threads that sleeping,
not the writes, dominated. Threads of one process therefore queue on a lock, and the
per-message writes of the dispatcher share their commits (:func:`grouped`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine

_sqlite_writes = threading.Lock()


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "sqlite":
        with _sqlite_writes, engine.begin() as conn:
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
_queue_lock = threading.Lock()


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
            with _queue_lock:
                batch, _queue[:] = list(_queue), []
            try:
                with engine.begin() as conn:
                    results = [r.work(conn) for r in batch]
            except BaseException as exc:
                for r in batch:
                    r.error, r.done = exc, True
            else:
                for r, result in zip(batch, results, strict=True):
                    r.result, r.done = result, True
    if request.error is not None:
        raise request.error
    return request.result
