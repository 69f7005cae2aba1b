"""Storage faults: a data disk gone read-only or full must be loud, never silent.

* :func:`is_storage_fault` recognises, in an exception or its causes, a database or
  file write refused because the storage cannot take it: SQLite's ``SQLITE_FULL``,
  ``SQLITE_READONLY``, ``SQLITE_IOERR``, ``SQLITE_CANTOPEN``; PostgreSQL's SQLSTATE
  class 53 (``disk_full``, out of memory...), ``25006`` (read-only transaction),
  ``58030`` (I/O error); ``ENOSPC``, ``EROFS``, ``EDQUOT``, ``EIO`` from the OS.
  HTTP answers them with 503 problem+json (:mod:`shared.problems`); consumers NACK
  them for later and never dead-letter them (:mod:`shared.broker`), so an event is
  acknowledged only once its effect is committed.
* :class:`StorageProbe` is the ``storage`` check of ``/readyz``: for a SQLite file, a
  small write with ``fsync`` next to the database (it fails on a read-only or full
  disk, and succeeds again once the disk is back); for a server database, the
  database is not read-only and no storage fault was seen in the last seconds.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import threading
import time
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

log = logging.getLogger("entraide.storage")

#: sqlite3 primary result codes of a write the storage refused.
SQLITE_CODES = {8: "SQLITE_READONLY", 10: "SQLITE_IOERR", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN"}
SQLITE_TEXTS = ("readonly database", "database or disk is full", "disk i/o error")
PG_STATES = ("53", "25006", "58030")
OS_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO}
#: Bytes the readiness probe writes (and syncs): a disk that cannot take them is full.
PROBE_BYTES = 16 * 1024


def is_storage_fault(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or one of its causes) is a write the storage could not take."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if _is_fault_itself(exc):
            return True
        orig = getattr(exc, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
        if orig is not None and orig is not exc and _is_fault_itself(orig):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _is_fault_itself(exc: BaseException) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in SQLITE_CODES:
        return True
    state = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(state, str) and state.startswith(PG_STATES):
        return True
    if type(exc).__module__.startswith("sqlite3") and any(
        t in str(exc).lower() for t in SQLITE_TEXTS
    ):
        return True
    return isinstance(exc, OSError) and exc.errno in OS_ERRNOS


class StorageProbe:
    """The ``storage`` readiness check of one service's database (thread-safe)."""

    #: After a fault on a server database, not ready for this long (then it is tried again).
    HOLD_S = 5.0

    def __init__(self, url: str) -> None:
        u = make_url(url)
        self.folder: Path | None = None
        if u.drivername.startswith("sqlite") and u.database and u.database != ":memory:":
            self.folder = Path(u.database).resolve().parent
        self._fault_at = 0.0
        self._lock = threading.Lock()

    def fault_seen(self) -> None:
        """A write just failed on a storage fault (called by the HTTP edge)."""
        with self._lock:
            self._fault_at = time.monotonic()

    def writable(self, engine: Engine | None) -> bool:
        """True when a write would be durable now; logs why not."""
        if self.folder is not None:
            return self._file_probe(self.folder)
        with self._lock:
            if time.monotonic() - self._fault_at < self.HOLD_S:
                return False
        return engine is None or _server_writable(engine)

    @staticmethod
    def _file_probe(folder: Path) -> bool:
        probe = folder / f".entraide-ready-{os.getpid()}-{threading.get_ident()}"
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, b"\0" * PROBE_BYTES)
                os.fsync(fd)
            finally:
                os.close(fd)
            return True
        except OSError as exc:
            log.warning("storage not writable in %s: %s", folder, exc)
            return False
        finally:
            with contextlib.suppress(OSError):  # a read-only disk: nothing to remove
                probe.unlink(missing_ok=True)


def _server_writable(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            if engine.dialect.name != "postgresql":
                return True
            read_only = conn.execute(text("SELECT pg_is_in_recovery()")).scalar()
            return not read_only
    except Exception:  # readiness: any failure means "not ready"
        log.warning("database storage not checked", exc_info=True)
        return False
