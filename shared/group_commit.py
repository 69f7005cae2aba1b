"""Group commit: many small write transactions of a SQLite database share one commit.

With ``PRAGMA synchronous=FULL`` a SQLite commit in WAL mode waits for the WAL to be
on disk (one ``fsync``), so a committed change survives a power loss. An ``fsync``
takes milliseconds; one per request would cap a service at a few hundred writes a
second however fast the rest is, and SQLite's busy handler (it sleeps 1, 2, 5 ... 100
ms between tries) makes concurrent writers wait far longer than the lock is held.

:func:`run` hands a unit of work (a function of a connection) to one writer thread per
database. The writer takes every unit waiting (at most ``MAX_GROUP``), runs each in its
own SAVEPOINT inside one ``BEGIN IMMEDIATE`` transaction, commits once, and only then
answers each caller with its result, or with its own exception (its savepoint rolled
back, the others kept). A caller is answered after the commit that holds its change:
durability is exactly that of a commit of its own. Units run one at a time, so they
never conflict with each other; other writers of the same database (another process,
code not using this module) are still serialised by SQLite's lock.

PostgreSQL (or any other database) has its own group commit: :func:`run` simply runs
the unit in a transaction of its own, in the caller's thread.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, InvalidStateError
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Engine

from shared import driver_sql
from shared.wal_checkpoint import FALLBACK_PAGES, IDLE_S, Checkpointer

T = TypeVar("T")
Work = Callable[[Connection], Any]

#: Units committed together at most (a bound on the latency one commit adds).
MAX_GROUP: Final = 64
log = logging.getLogger("entraide.db")


#: Who waits for a unit's outcome: a caller's thread or a task of an event loop.
Reply = Future[Any] | asyncio.Future[Any]


class Writer:
    """The writer thread of one SQLite database (see the module's docstring)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: queue.SimpleQueue[tuple[Work, Reply]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.checkpointer = Checkpointer(engine)
        #: How many commits and units so far (to see the grouping in benchmarks).
        self.commits = 0
        self.units = 0

    def submit(self, work: Work) -> Future[Any]:
        """Queue ``work``; a future of its outcome, set once it is committed."""
        future: Future[Any] = Future()
        self._put(work, future)
        return future

    def submit_async(self, work: Work) -> asyncio.Future[Any]:
        """:meth:`submit` from a running event loop: the outcomes of a group reach the
        loop in one call (not one wake-up of the loop per unit, nor a thread future
        and its lock per unit)."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._put(work, future)
        return future

    def _put(self, work: Work, reply: Reply) -> None:
        with self._lock:
            self._queue.put((work, reply))
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="group-commit", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_S)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            self._commit_while_busy([first])

    def _take(self, group: list[tuple[Work, Reply]]) -> list[tuple[Work, Reply]]:
        """``group`` with the units waiting, up to :data:`MAX_GROUP`."""
        while len(group) < MAX_GROUP:
            try:
                group.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return group

    def _commit_while_busy(self, group: list[tuple[Work, Reply]]) -> None:
        """Commit groups on one connection while units keep coming (a checkout and a
        return to the pool per group cost as much as a unit's SQL); the connection
        goes back when the queue is empty or a commit failed."""
        try:
            with self.engine.connect() as conn:
                while group:
                    self._commit(conn, self._take(group))
                    group = []
                    try:
                        group.append(self._queue.get_nowait())
                    except queue.Empty:
                        return
        except BaseException as exc:  # no connection, or a commit failed
            if group:  # taken, not yet tried: nobody's change is kept
                _answer([(reply, _Failed(exc)) for _, reply in group])
            if not isinstance(exc, _CommitFailed):
                log.warning("group commit: no connection: %r", exc)

    def _commit(self, conn: Connection, group: list[tuple[Work, Reply]]) -> None:
        try:
            outcomes = self._run_group(conn, group)
        except BaseException as exc:  # the commit failed: nobody's change is kept
            log.warning("group commit of %d units failed: %r", len(group), exc)
            _answer([(reply, _Failed(exc)) for _, reply in group])
            group.clear()
            raise _CommitFailed() from exc
        self.checkpointer.committed()
        self.commits += 1
        self.units += len(group)
        _answer(outcomes)

    def _run_group(self, conn: Connection, group: list[tuple[Work, Reply]]) -> list[Any]:
        """Each unit in its savepoint, in one transaction begun and committed on the
        driver's cursor (SQLAlchemy's begin and commit cost more than the SQL)."""
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None  # a checked-out connection has one
        legacy = getattr(dbapi, "isolation_level", None)
        # pysqlite's own transaction handling would commit before a SAVEPOINT:
        # the transaction is begun here, explicitly, for the time of the group
        dbapi.isolation_level = None  # type: ignore[attr-defined]
        cursor = dbapi.cursor()
        if not conn.connection.info.get("checkpoints_in_background"):
            # checkpoints leave the commits (wal_checkpoint): only a safety net here
            cursor.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")
            conn.connection.info["checkpoints_in_background"] = True
        try:
            driver_sql.execute_text(conn, "BEGIN IMMEDIATE")
            conn.info[_MEMO] = {}
            outcomes = [(reply, _in_savepoint(conn, cursor, work)) for work, reply in group]
            driver_sql.execute_text(conn, "COMMIT")
            if conn.in_transaction():  # a unit's Core statement began SQLAlchemy's too
                conn.commit()  # (the driver has nothing left to commit)
            return outcomes
        finally:
            conn.info.pop(_MEMO, None)
            if dbapi.in_transaction:  # type: ignore[attr-defined]
                dbapi.rollback()
            if conn.in_transaction():
                conn.rollback()
            dbapi.isolation_level = legacy  # type: ignore[attr-defined]


def _answer(outcomes: list[tuple[Reply, Any]]) -> None:
    """Give each waiting caller its outcome: event loops once per loop and group."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[Reply, Any]]] = {}
    for reply, outcome in outcomes:
        if isinstance(reply, asyncio.Future):
            by_loop.setdefault(reply.get_loop(), []).append((reply, outcome))
        else:
            _settle(reply, outcome)
    for loop, answers in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle_all, answers)
        except RuntimeError:  # the loop was closed: nobody waits any more
            log.debug("group commit: %d answers for a closed event loop", len(answers))


def _settle_all(answers: list[tuple[Reply, Any]]) -> None:
    for reply, outcome in answers:
        _settle(reply, outcome)


def _settle(reply: Reply, outcome: Any) -> None:
    if reply.done():  # given up by its caller (a cancelled task): its unit ran anyway
        return
    try:
        if isinstance(outcome, _Failed):
            reply.set_exception(outcome.error)
        else:
            reply.set_result(outcome)
    except InvalidStateError:  # a thread's future cancelled since: never the writer's end
        pass


_MEMO: Final = "group_commit.memo"


def memo(conn: Connection) -> dict[str, Any] | None:
    """A dict that lives as long as the transaction of the group ``conn`` is running,
    or None outside a writer thread's transaction.

    Within one group's ``BEGIN IMMEDIATE`` transaction no other connection can write,
    so what a unit read there stays true for the next units of the group, unless a
    unit changes it: a unit that changes data someone memoised must drop that entry.
    The profiles' writes memoise the catalogues they resolve skills and themes
    against (:func:`services.profiles.adapters.catalogue_repository.kept_catalogues`);
    nothing that goes through a group commit changes a catalogue.
    """
    found: dict[str, Any] | None = conn.info.get(_MEMO)
    return found


class _CommitFailed(Exception):
    """A group's commit failed (its callers have their error): its connection is
    given back to the pool, the next group takes a fresh one."""


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _in_savepoint(conn: Connection, cursor: Any, work: Work) -> Any:
    # SQL on the DB-API cursor: SQLAlchemy's begin_nested() compiles and runs two
    # statements per unit through its execution machinery (profiled: a fifth of the
    # writer's CPU on a PATCH /me)
    cursor.execute("SAVEPOINT unit")
    try:
        result = work(conn)
    except Exception as exc:  # the caller's own error: only its changes are undone
        cursor.execute("ROLLBACK TO unit")
        cursor.execute("RELEASE unit")
        return _Failed(exc)
    cursor.execute("RELEASE unit")
    return result


_writers: weakref.WeakKeyDictionary[Engine, Writer] = weakref.WeakKeyDictionary()
_writers_lock = threading.Lock()


def writer(engine: Engine) -> Writer:
    """The writer of ``engine``'s database (one per engine)."""
    with _writers_lock:
        found = _writers.get(engine)
        if found is None:
            found = _writers[engine] = Writer(engine)
        return found


def grouped(engine: Engine) -> bool:
    """True when ``engine``'s writes go through a writer thread (a SQLite file)."""
    # an in-memory SQLite database is one per thread: the writer could not see it
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def run(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work`` in a transaction; return once its change is committed.

    Raises what ``work`` raised (its changes undone), or the commit's error.
    """
    if not grouped(engine):
        with engine.begin() as conn:
            return work(conn)
    result: T = writer(engine).submit(work).result()
    return result


async def run_async(engine: Engine, work: Callable[[Connection], T]) -> T:
    """:func:`run` from async code: awaits the commit without holding a thread."""
    if not grouped(engine):
        return await asyncio.to_thread(run, engine, work)
    result: T = await writer(engine).submit_async(work)
    return result
