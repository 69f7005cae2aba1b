"""WAL checkpoints of a group-committed SQLite database, off the writer's path.

In WAL mode SQLite copies the log back into the database file (a checkpoint) when a
commit leaves the log over ``wal_autocheckpoint`` pages (1,000 by default), *inside*
that commit: with ``synchronous=FULL`` the committing connection writes the pages back
and fsyncs the database file before it returns. Under :mod:`shared.group_commit` that
connection is the writer thread, so every caller queued behind the group waits for the
checkpoint too: a stall of a few (loaded disk: tens of) milliseconds, several times a
second under a steady flow of writes, in the latency tail.

The writer's connection therefore only checkpoints as a safety net (at
:data:`FALLBACK_PAGES`), and a :class:`Checkpointer` thread runs a ``PASSIVE``
checkpoint on a connection of its own at most every :data:`INTERVAL_S` while commits
come. A passive checkpoint takes no lock a writer needs: commits go on meanwhile.
Durability is unchanged: a commit is on disk once its WAL frames are synced (before
the caller is answered); the checkpoint only moves them, and syncs the database file
before the log is reused.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Final

from sqlalchemy import Engine

#: Seconds between two background checkpoints while commits come.
INTERVAL_S: Final = 0.25
#: The writer's connection checkpoints itself only past this many WAL pages (~40 MB):
#: never in normal operation, a bound on the log if the background thread lagged.
FALLBACK_PAGES: Final = 10_000
#: The thread stops after this many seconds without a commit (started again on demand;
#: the group commit's writer thread too).
IDLE_S: Final = 2.0

log = logging.getLogger("entraide.db")


class Checkpointer:
    """The background checkpoint thread of one SQLite database (see the module)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._dirty, self._lock = threading.Event(), threading.Lock()
        self._thread: threading.Thread | None = None
        #: Checkpoints run so far, and WAL frames they copied (to see them in benchmarks).
        self.runs = self.frames = 0

    def committed(self) -> None:
        """Call after each commit of the database: a checkpoint will follow soon."""
        self._dirty.set()
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._loop, name="wal-checkpoint", daemon=True
                    )
                    self._thread.start()

    def _loop(self) -> None:
        while True:
            if not self._dirty.wait(IDLE_S):
                with self._lock:
                    if not self._dirty.is_set():
                        self._thread = None
                        return
            self._dirty.clear()
            self.checkpoint()
            # commits arriving meanwhile set the flag again: one checkpoint covers them
            time.sleep(INTERVAL_S)

    def checkpoint(self) -> None:
        """One ``PASSIVE`` checkpoint now, on a connection of the engine's pool."""
        try:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
                row = cursor.fetchone()
                copied = int(row[2]) if row else 0
            finally:
                raw.close()
        except Exception:  # the fallback still bounds the log: log it, keep going
            log.warning("background WAL checkpoint failed", exc_info=True)
            return
        self.runs += 1
        self.frames += max(0, copied)
