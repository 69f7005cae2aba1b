"""The patches of third-party libraries still fit the libraries installed underneath.

Each test here fails when a library changes so that a patch is no longer needed, no
longer fits what it wraps, or was not written for the installed version.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import api
from nats.js.client import JetStreamContext

from shared.patches import nats_fetch

ROOT = Path(__file__).resolve().parents[3]


class _NoMessages:
    """A pull subscription's inbox whose only answer is "404 No Messages", once it is late.

    Like the server when nothing is stored and the fetch deadline is short: the first
    (no-wait) request is answered after the deadline, which sends nats-py down the
    branch that raises a bare ``asyncio.TimeoutError``.
    """

    def __init__(self) -> None:
        self._pending_queue: asyncio.Queue[Msg] = asyncio.Queue()
        self._pending_size = 0

    async def next_msg(self, timeout: float | None = None) -> Msg:
        await asyncio.sleep((timeout or 0) + 0.01)
        return Msg(None, headers={api.Header.STATUS: api.StatusCode.NO_MESSAGES})  # type: ignore[arg-type]


class _Connection:
    async def publish(self, *args: Any, **kwargs: Any) -> None:
        pass


def _pull_subscription() -> Any:
    js = type("JS", (), {"_nc": _Connection(), "_prefix": "$JS.API"})()
    return JetStreamContext.PullSubscription(js, _NoMessages(), "S", "C", b"_INBOX.x")


def _unpatched() -> Any:
    return inspect.unwrap(JetStreamContext.PullSubscription.fetch)


def test_the_installed_nats_py_is_one_the_patch_was_written_for() -> None:
    low, high = nats_fetch.WRITTEN_FOR
    assert low <= nats_fetch.installed_version() < high
    nats_fetch.check_version()  # what apply() checks
    # The project pins the very range the patch was written for: moving the pin means
    # checking the patch again.
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(d for d in deps if re.match(r"nats-py\b", d))
    assert pin == f"nats-py>={low[0]}.{low[1]},<{high[0]}"


def test_the_patch_refuses_a_version_it_was_not_written_for(monkeypatch) -> None:
    monkeypatch.setattr(nats_fetch, "installed_version", lambda: (3, 0, 0))
    with pytest.raises(RuntimeError, match=r">=2\.9,<3\.0 but 3\.0\.0 is installed"):
        nats_fetch.check_version()


def test_the_wrapped_fetch_keeps_the_signature_the_patch_was_written_for() -> None:
    nats_fetch.apply()
    nats_fetch.apply()  # idempotent: one wrapper, not two
    patched = JetStreamContext.PullSubscription.fetch
    assert nats_fetch.is_applied()
    assert patched.__wrapped__ is _unpatched()
    original = _unpatched()
    assert inspect.iscoroutinefunction(original)
    assert list(inspect.signature(original).parameters) == ["self", "batch", "timeout", "heartbeat"]


async def test_unpatched_fetch_still_raises_the_bare_timeout_the_patch_converts() -> None:
    """If this fails, nats-py no longer needs the patch (or raises something else)."""
    with pytest.raises(TimeoutError) as raised:
        await _unpatched()(_pull_subscription(), 10, timeout=0.01)
    assert type(raised.value) is TimeoutError  # bare, not nats.errors.TimeoutError
    assert not isinstance(raised.value, NatsTimeoutError)


async def test_patched_fetch_raises_the_nats_timeout_that_faststream_catches() -> None:
    nats_fetch.apply()
    started = time.monotonic()
    with pytest.raises(NatsTimeoutError) as raised:
        await _pull_subscription().fetch(10, timeout=0.01)
    assert type(raised.value.__cause__) is TimeoutError
    assert time.monotonic() - started < 1


# -- nats-py: next_msg hands over a message already queued -----------------------------


class _Conn:
    is_closed = False


def _subscription_with(*messages: Msg) -> Any:
    sub = Subscription(_Conn(), 1, "s")  # type: ignore[arg-type]
    for m in messages:
        sub._pending_queue.put_nowait(m)
        sub._pending_size += len(m.data)
    return sub


def test_unpatched_next_msg_still_makes_a_task_per_call() -> None:
    """If this fails, nats-py no longer pays a task per queued message (drop the fast path)."""
    source = inspect.getsource(inspect.unwrap(Subscription.next_msg))
    assert "create_task" in source and "wait_for" in source
    assert list(inspect.signature(Subscription.next_msg).parameters) == ["self", "timeout"]


async def test_a_queued_message_is_returned_at_once_in_order_with_the_accounting() -> None:
    nats_fetch.apply()
    first, second = Msg(None, data=b"one"), Msg(None, data=b"two!")  # type: ignore[arg-type]
    sub = _subscription_with(first, second)
    tasks_before = len(asyncio.all_tasks())
    got = [await sub.next_msg(timeout=1), await sub.next_msg(timeout=1)]
    assert got == [first, second]
    assert len(asyncio.all_tasks()) == tasks_before  # no task was made for them
    assert sub._pending_size == 0 and sub._pending_queue.empty()
    assert sub._pending_queue._unfinished_tasks == 0  # task_done, as the original
    with pytest.raises(NatsTimeoutError):  # an empty queue: the original waits, times out
        await sub.next_msg(timeout=0.01)


async def test_a_waiter_already_on_the_queue_is_not_overtaken() -> None:
    nats_fetch.apply()
    sub = _subscription_with()
    waiter = asyncio.create_task(sub.next_msg(timeout=5))
    await asyncio.sleep(0)  # it waits on the queue
    message = Msg(None, data=b"x")  # type: ignore[arg-type]
    sub._pending_queue.put_nowait(message)
    sub._pending_size += 1
    with pytest.raises(NatsTimeoutError):  # the fast path would take the waiter's message
        await sub.next_msg(timeout=0.2)
    assert await waiter is message
