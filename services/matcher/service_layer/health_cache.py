"""Computed health reports kept until new health facts or member changes arrive.

A report over 10,000 members takes seconds to compute (every fact up to the last day,
every member, the network's graph). Coordinators reopen the dashboard with the same
period far more often than facts arrive, so each report is kept with the projection's
:meth:`~services.matcher.adapters.health.HealthRepository.fingerprint` and the query
(period, network or not): a view whose fingerprint is unchanged costs three aggregate
queries; the first view after new facts costs a full computation.

One cache per database engine (weakly held), a few entries each; in one process. Several
processes each keep their own, which is correct (the fingerprint is read every time).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

T = TypeVar("T")

#: Reports kept per engine (periods, with or without the network, the network alone).
ENTRIES = 16


class ReportCache:
    """A small LRU of computed reports, keyed by (query, fingerprint)."""

    def __init__(self, entries: int = ENTRIES) -> None:
        self.entries = entries
        self.computed = 0  # how many reports were computed (not served from the cache)
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]  # type: ignore[no-any-return]
        value = compute()  # outside the lock: two first views may both compute, same result
        with self._lock:
            self.computed += 1
            self._kept[key] = value
            while len(self._kept) > self.entries:
                self._kept.popitem(last=False)
        return value


_CACHES: WeakKeyDictionary[Engine, ReportCache] = WeakKeyDictionary()
_GUARD = threading.Lock()


def cache_of(engine: Engine) -> ReportCache:
    with _GUARD:
        found = _CACHES.get(engine)
        if found is None:
            found = _CACHES[engine] = ReportCache()
        return found
