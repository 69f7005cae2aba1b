"""The outbox relay with a scripted JetStream: order per member, nothing lost, no gaps."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from services.profiles.adapters.outbox import OutboxRelay, add_events, pending_count, windows
from services.profiles.main import MIGRATIONS
from shared import correlation
from shared.db import make_engine
from shared.events import MatchingProfile, MemberProfileUpdated
from shared.migrations import upgrade


class Row:
    def __init__(self, member_id: str | None) -> None:
        self.member_id = member_id


@given(st.lists(st.sampled_from(["a", "b", "c", None]), max_size=60), st.integers(1, 8))
def test_windows_keep_order_and_hold_one_row_per_member(members, size) -> None:
    rows = [Row(m) for m in members]
    parts = windows(rows, size)
    assert [r for part in parts for r in part] == rows
    for part in parts:
        assert 1 <= len(part) <= size
        keyed = [r.member_id for r in part if r.member_id is not None]
        assert len(keyed) == len(set(keyed))


class FlakyJetStream:
    """Fails the publishes listed in ``fail`` (by call number), records the others."""

    def __init__(self, fail: set[int]) -> None:
        self.fail = fail
        self.calls = 0
        self.stored: list[tuple[str, str]] = []
        self.headers: list[dict[str, str]] = []

    async def publish(self, subject: str, payload: bytes, headers: dict[str, str], **_: Any):
        self.calls += 1
        number = self.calls
        await asyncio.sleep(0.001 * (number % 3))  # acks come back out of order
        if number in self.fail:
            raise TimeoutError(f"no PubAck for call {number}")
        self.stored.append((headers["Nats-Msg-Id"], payload.decode()))
        self.headers.append(headers)

    async def publish_async(self, *args: Any, **kwargs: Any) -> asyncio.Future[None]:
        return _acked_later(self.publish(*args, **kwargs))


def _acked_later(publish: Any) -> asyncio.Future[None]:
    """What ``publish_async`` gives: a future of the PubAck, the message already sent."""
    return asyncio.ensure_future(publish)


@pytest.fixture
def engine(tmp_path) -> Engine:
    eng = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    upgrade(eng, MIGRATIONS)
    return eng


def _events(engine: Engine, per_member: int) -> list[MemberProfileUpdated]:
    events = [
        MemberProfileUpdated(
            producer="profiles",
            member_id=f"m{i % 4}",
            version=i // 4 + 1,
            profile=MatchingProfile(site="Lyon"),
        )
        for i in range(4 * per_member)
    ]
    with engine.begin() as conn:
        add_events(conn, events)
    return events


async def test_a_failed_publish_is_retried_before_any_later_event_of_its_member(engine) -> None:
    events = _events(engine, per_member=5)
    js = FlakyJetStream(fail={2, 3, 7, 11})
    relay = OutboxRelay(engine, js, batch=7, window=3)  # type: ignore[arg-type]
    for _ in range(50):
        try:
            await relay.drain_once()
        except TimeoutError:
            continue
        if pending_count(engine) == 0:
            break
    assert pending_count(engine) == 0
    assert sorted(i for i, _ in js.stored) == sorted(e.event_id for e in events)
    seen: dict[str, list[int]] = defaultdict(list)
    by_id = {e.event_id: e for e in events}
    for event_id, _ in js.stored:
        seen[by_id[event_id].member_id].append(by_id[event_id].version)
    assert all(v == sorted(v) for v in seen.values()), seen
    assert relay.published == len(events)


async def test_notify_from_a_worker_thread_wakes_the_relay(engine) -> None:
    js = FlakyJetStream(fail=set())
    relay = OutboxRelay(engine, js)  # type: ignore[arg-type]
    relay.start()
    try:
        await asyncio.sleep(0.05)  # relay idle, waiting for a wake-up
        _events(engine, per_member=1)
        await asyncio.to_thread(relay.notify)
        for _ in range(40):
            if len(js.stored) == 4:
                break
            await asyncio.sleep(0.01)
        assert len(js.stored) == 4  # well before the 1 s idle poll
    finally:
        await relay.stop()


async def test_each_event_is_published_with_the_correlation_id_of_the_work_that_wrote_it(
    engine,
) -> None:
    with correlation.bound("req-1"):
        _events(engine, per_member=1)
    _events(engine, per_member=1)  # outside any request: no id
    js = FlakyJetStream(fail=set())
    await OutboxRelay(engine, js).drain_once()  # type: ignore[arg-type]
    ids = [h.get(correlation.NATS_HEADER) for h in js.headers]
    assert ids == ["req-1"] * 4 + [None] * 4


class SwallowingJetStream:
    """The first PubAck arrives just as the relay is cancelled, and the cancellation is
    lost: what ``asyncio.wait_for`` (nats-py's request) does on Python 3.11 in that case.
    Later publishes are acknowledged at once."""

    def __init__(self) -> None:
        self.calls = 0

    async def publish(self, *_: Any, **__: Any) -> None:
        self.calls += 1
        if self.calls > 1:
            return
        try:
            await asyncio.Event().wait()  # no PubAck until cancelled
        except asyncio.CancelledError:
            return  # acknowledged all the same; the cancellation is swallowed

    async def publish_async(self, *args: Any, **kwargs: Any) -> asyncio.Future[None]:
        return _acked_later(self.publish(*args, **kwargs))


@pytest.mark.parametrize("window", [1, 3])
async def test_a_relay_stops_even_when_a_publish_swallows_its_cancellation(
    engine, window: int
) -> None:
    _events(engine, per_member=3)
    js = SwallowingJetStream()
    relay = OutboxRelay(engine, js, window=window)  # type: ignore[arg-type]
    relay.start()
    for _ in range(200):
        if js.calls:
            break
        await asyncio.sleep(0.01)
    assert js.calls, "the relay never published"
    running = relay._task
    stopping = asyncio.create_task(relay.stop())
    done, _ = await asyncio.wait({stopping}, timeout=5)
    if not done:  # the relay ran on: cancel it again (now it is idle) before failing
        assert running is not None
        running.cancel()
        await stopping
    assert done, "stop() waited for a relay that had lost its cancellation"
