"""The health refresher waits for changes to settle, then computes once; the report cache
keeps the last report of each query, remembers the queries wanted and wakes its listeners."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from services.matcher.adapters.health_worker import MAX_SETTLE, HealthRefresher
from services.matcher.service_layer.health_cache import Kept, ReportCache

NOW = datetime(2026, 11, 28, tzinfo=UTC)


async def test_a_burst_of_changes_is_computed_once_after_they_settle() -> None:
    runs: list[int] = []
    computed = asyncio.Event()

    def refresh() -> int:
        runs.append(1)
        computed.set()
        return 1

    worker = HealthRefresher(refresh, debounce_s=0.05, tick_s=3600)
    worker.start()
    try:
        await asyncio.wait_for(computed.wait(), 5)  # at start: the standard reports
        computed.clear()
        for _ in range(5):  # an import's batches, closer together than the debounce
            worker.notify()
            await asyncio.sleep(0.01)
        await asyncio.wait_for(computed.wait(), 5)
        await asyncio.sleep(0.2)
        assert len(runs) == 2
    finally:
        await worker.stop()


async def test_steady_changes_do_not_put_the_computation_off_for_ever() -> None:
    worker = HealthRefresher(lambda: 0, debounce_s=0.01)

    async def keep_changing() -> None:
        while True:
            worker.notify()
            await asyncio.sleep(0.001)

    noise = asyncio.create_task(keep_changing())
    try:
        await asyncio.wait_for(worker.settle(), timeout=MAX_SETTLE * 0.01 + 5)
    finally:
        noise.cancel()


async def test_views_asking_again_do_not_put_off_the_computation_a_change_is_waiting_for() -> None:
    """A dashboard polling while its report is being refreshed wakes the refresher with
    ``changed=False``: the computation still comes one debounce after the last change,
    not after MAX_SETTLE periods (0.5 s x 60 = 30 s here, which the views used to cause)."""
    computed = asyncio.Event()

    def refresh() -> int:
        computed.set()
        return 1

    worker = HealthRefresher(refresh, debounce_s=0.5, tick_s=3600)
    worker.start()

    async def views() -> None:
        while True:
            worker.notify(changed=False)
            await asyncio.sleep(0.05)

    polling = None
    try:
        await asyncio.wait_for(computed.wait(), 5)  # at start
        computed.clear()
        worker.notify()  # new facts
        polling = asyncio.create_task(views())
        await asyncio.wait_for(computed.wait(), MAX_SETTLE * 0.5 / 3)
    finally:
        if polling is not None:
            polling.cancel()
        await worker.stop()


async def test_a_failed_computation_is_logged_and_the_next_change_is_computed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    calls: list[int] = []
    again = asyncio.Event()

    def refresh() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database unavailable")
        again.set()
        return 2

    worker = HealthRefresher(refresh, debounce_s=0.01, tick_s=3600)
    worker.start()
    try:
        while not calls:
            await asyncio.sleep(0.01)
        worker.notify()
        await asyncio.wait_for(again.wait(), 5)
    finally:
        await worker.stop()
    assert "health refresher error" in caplog.text


def test_the_cache_keeps_the_last_report_of_each_query_and_wakes_its_listeners() -> None:
    cache = ReportCache(entries=2)
    woken: list[str] = []
    stop = cache.listen(lambda changed: woken.append("c" if changed else "w"))
    cache.put("a", Kept(1, "f1", NOW))
    cache.put("a", Kept(2, "f2", NOW))
    found = cache.kept("a")
    assert found is not None and found.value == 2 and cache.computed == 2
    cache.put("b", Kept(3, "f", NOW))
    cache.kept("a")  # a is the most recently used: b goes first
    cache.put("c", Kept(4, "f", NOW))
    assert cache.kept("b") is None and cache.kept("a") is not None
    cache.want("a")
    cache.want("a")
    assert cache.take_wanted() == ["a"] and cache.take_wanted() == []
    assert woken == ["w", "w"]
    cache.changed()
    assert woken == ["w", "w", "c"]
    stop()
    cache.changed()
    assert woken == ["w", "w", "c"]
