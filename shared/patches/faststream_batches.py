"""FastStream: a batch pull subscriber that fetches the next batch while one is handled.

FastStream 0.7's ``BatchPullStreamSubscriber._consume_pull`` is strictly fetch -> handle
-> acknowledge -> fetch: while a handler waits for its database commit (a worker thread,
an fsync), the event loop has nothing to do, and while the next batch is fetched and
validated, the database has nothing to do. :func:`overlap` replaces that loop on **one
subscriber** (the instance, never the class) by the same fetch loop that keeps up to
``depth`` batches in FastStream's own ``consume`` at once: batch k+1 is fetched, then
decoded and validated, while batch k's handler is still storing.

What does not change: each batch goes through ``consume`` with every middleware (dead
letters, NACK with backoff, metrics, correlation) and is acknowledged by FastStream when
*its own* handler has returned, i.e. after its commit; a failed batch is NACKed and
redelivered alone. What the handler must accept: being called for batch k+1 while batch
k is still in it. The matcher's member projection serializes its stores in the order the
batches arrive (an ``asyncio.Lock``, FIFO), and does not depend on it for correctness:
per member the newest version wins whatever the order of commits, and event ids make a
redelivery a no-op. A stop still waits for the handlers in flight (FastStream's
``graceful_timeout`` lock, which every ``consume`` holds); a batch in flight is not
cancelled with the fetch loop (it finishes and is acknowledged, or is redelivered).

Written for FastStream ``WRITTEN_FOR`` (the range ``pyproject.toml`` pins); :func:`overlap`
raises ``RuntimeError`` outside it, and ``tests/unit/contracts/test_patches.py`` checks
that the loop replaced still has the shape copied here.
"""

from __future__ import annotations

import asyncio
from collections import deque
from time import monotonic
from typing import Any, Final

from faststream.nats.subscriber.usecases.stream_pull_subscriber import BatchPullStreamSubscriber
from nats.errors import ConnectionClosedError, TimeoutError
from nats.js.errors import ServiceUnavailableError

from shared import patches

LIBRARY: Final = "faststream"
#: Versions this was written for: at least the first, below the second.
WRITTEN_FOR: Final = ((0, 7, 8), (0, 8))
_MARK: Final = "_entraide_overlapped"


def check_version() -> None:
    """Raise ``RuntimeError`` unless the installed FastStream is one this was written for."""
    low, high = WRITTEN_FOR
    version = patches.installed_version(LIBRARY)
    if not low <= version < high:
        raise RuntimeError(
            f"shared.patches.faststream_batches was written for {LIBRARY} {low}-{high} but"
            f" {version} is installed: compare BatchPullStreamSubscriber._consume_pull with"
            " fetch_batch() here, then update WRITTEN_FOR."
        )


async def fetch_batch(sub: Any) -> list[Any]:
    """Up to ``batch_size`` messages within ``timeout``, as FastStream 0.7.8's loop fetches
    them (nats-py may return a partial batch before the deadline: keep fetching)."""
    batch_size = sub.pull_sub.batch_size
    timeout = sub.pull_sub.timeout
    deadline = monotonic() + timeout if timeout is not None else None
    messages: list[Any] = []
    remaining = None if deadline is None else deadline - monotonic()
    while len(messages) < batch_size and (remaining is None or remaining > 0) and sub.running:
        try:
            messages += await sub.subscription.fetch(
                batch=batch_size - len(messages), timeout=remaining
            )
        except TimeoutError:
            break
        except (ConnectionClosedError, ServiceUnavailableError):
            messages.clear()  # unacknowledged: the server redelivers them
            break
        remaining = None if deadline is None else deadline - monotonic()
    return messages


def is_overlapped(sub: Any) -> bool:
    return bool(getattr(sub.__dict__.get("_consume_pull"), _MARK, False))


def overlap(sub: BatchPullStreamSubscriber, depth: int = 2) -> None:
    """Let ``sub`` handle up to ``depth`` batches at once (see the module). Idempotent."""
    if not isinstance(sub, BatchPullStreamSubscriber):
        raise TypeError(f"a batch pull subscriber is needed, not {type(sub).__name__}")
    if depth < 1:
        raise ValueError("depth must be at least 1")
    check_version()
    if is_overlapped(sub):
        return

    async def consume_pull() -> None:
        assert sub.subscription, "You should call `create_subscription` at first."
        in_flight: deque[asyncio.Task[Any]] = deque()
        while sub.running:
            messages = await fetch_batch(sub)
            if messages and sub.running:
                in_flight.append(asyncio.create_task(sub.consume(messages)))
            while in_flight and (len(in_flight) >= depth or in_flight[0].done()):
                # shielded: stopping the loop does not cancel a batch being handled
                await asyncio.shield(in_flight.popleft())
        for task in in_flight:
            await asyncio.shield(task)

    setattr(consume_pull, _MARK, True)
    sub._consume_pull = consume_pull  # type: ignore[method-assign]
