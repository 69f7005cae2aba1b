"""Computed health reports, kept per query, and served at once even when a newer one is due.

A report over 10,000 members takes a quarter of a second or more to compute (every fact up
to the last day, every member, the network's graph). Coordinators reopen the dashboard far
more often than facts arrive, so the last report of each query (period, network or not) is
kept with the projection's
:meth:`~services.matcher.adapters.health.HealthRepository.fingerprint` it was computed
from and its "as of" time. The freshness rule (``services.matcher.service_layer.health``):
a view whose fingerprint is unchanged is served as kept; a view after new facts may be
served the kept report, marked ``refreshing``, while the matcher's background computes the
newer one (the query is *wanted*, the listeners are woken); a query never computed waits.

One cache per database engine (weakly held), a few entries each; in one process. Several
processes each keep their own, which is correct (the fingerprint is read every time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

T = TypeVar("T")

#: Reports kept per engine (periods, with or without the network, the network alone).
ENTRIES = 16


@dataclass(frozen=True)
class Kept(Generic[T]):
    """A report, the fingerprint of the projection it was computed from, and when."""

    value: T
    fingerprint: Hashable
    as_of: datetime  # when its facts and members were read: its figures are exact then
    refreshing: bool = False  # the projection changed since: a newer report is being computed


class ReportCache:
    """The last report of each query (a small LRU), the queries to compute again, and who
    to wake when one is wanted."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self.entries = entries
        self.computed = 0  # how many reports were computed (not served from the cache)
        self._kept: OrderedDict[Hashable, Kept[Any]] = OrderedDict()
        self._wanted: dict[Hashable, None] = {}  # an ordered set
        self._listeners: list[Callable[[bool], None]] = []
        self._lock = threading.Lock()

    def kept(self, query: Hashable) -> Kept[Any] | None:
        with self._lock:
            found = self._kept.get(query)
            if found is not None:
                self._kept.move_to_end(query)
            return found

    def put(self, query: Hashable, kept: Kept[Any]) -> None:
        with self._lock:
            self.computed += 1
            self._kept[query] = kept
            self._kept.move_to_end(query)
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)

    def want(self, query: Hashable) -> None:
        """``query`` was served a report older than the projection: compute it again
        (the listeners are woken with ``changed=False``: a view asking again is not a new
        change to wait for, see the matcher's ``HealthRefresher``)."""
        with self._lock:
            self._wanted[query] = None
        self._wake(changed=False)

    def take_wanted(self) -> list[Hashable]:
        with self._lock:
            found, self._wanted = list(self._wanted), {}
        return found

    def listen(self, wake: Callable[[bool], None]) -> Callable[[], None]:
        """Call ``wake(changed)`` (from any thread) when the projection changed (``True``)
        or a report is wanted (``False``); returns the function that stops it."""
        with self._lock:
            self._listeners.append(wake)

        def stop() -> None:
            with self._lock:
                if wake in self._listeners:
                    self._listeners.remove(wake)

        return stop

    def changed(self) -> None:
        """New facts or member changes were committed: the kept reports are older."""
        self._wake(changed=True)

    def _wake(self, changed: bool) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for wake in listeners:
            wake(changed)


_CACHES: WeakKeyDictionary[Engine, ReportCache] = WeakKeyDictionary()
_GUARD = threading.Lock()


def cache_of(engine: Engine) -> ReportCache:
    with _GUARD:
        found = _CACHES.get(engine)
        if found is None:
            found = _CACHES[engine] = ReportCache()
        return found
