"""nats-py: pull ``fetch`` timeouts that FastStream catches, and a fetch without a task
per message.

1. An empty JetStream pull ``fetch`` times out with nats' own ``TimeoutError``.

nats-py 2.x raises a bare ``asyncio.TimeoutError`` from
``JetStreamContext.PullSubscription.fetch`` when a fetch gets nothing in some branches
(a short deadline, the lingering second request of a batch fetch), while FastStream
0.7's batch consumer only catches ``nats.errors.TimeoutError`` (a subclass). The bare
error escaped, FastStream restarted its consume task and dropped the partial batch it
had already fetched: those messages then waited ``ack_wait`` for redelivery, stalling
the matcher's projection. Re-raising the bare error as the subclass keeps both
libraries' contracts.

Written for nats-py ``WRITTEN_FOR`` (the range ``pyproject.toml`` pins). :func:`apply`
raises ``RuntimeError`` outside it rather than warning: pip cannot install another
version without the pin being changed, and whoever changes it must check this patch
again (``tests/unit/contracts/test_patches.py`` says whether it is still needed and
still fits).

2. ``Subscription.next_msg`` returns a message already waiting in the subscription's
queue at once. nats-py's batch ``fetch`` calls ``next_msg`` once per message, and each
call makes a ``uuid4`` name, a task and an ``asyncio.wait_for`` around the queue's
``get`` even when the message is already there: about a third of the CPU time of a raw
pull-and-ack loop (``bench/bench_projection.py``, baseline). The fast path takes the
same message from the same queue in the same order, with the same accounting
(``_pending_size``, ``task_done``); it is skipped (the original runs) when the
subscription has a callback, the connection is closed, the queue is empty, or another
``next_msg`` is already waiting on that queue (so a waiter is never overtaken).
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from typing import Any, Final

from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js.client import JetStreamContext

LIBRARY: Final = "nats-py"
#: Versions this patch was written for: at least the first, below the second.
WRITTEN_FOR: Final = ((2, 9), (3, 0))
_MARK: Final = "_entraide_fetch_timeouts"


def installed_version() -> tuple[int, ...]:
    """The installed nats-py version as numbers (``"2.16.0"`` -> ``(2, 16, 0)``)."""
    text = importlib.metadata.version(LIBRARY)
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])


def check_version() -> None:
    """Raise ``RuntimeError`` unless the installed nats-py is one this patch was written for."""
    low, high = WRITTEN_FOR
    version = installed_version()
    if not low <= version < high:
        shown = ".".join(map(str, version))
        raise RuntimeError(
            f"shared.patches.nats_fetch was written for {LIBRARY} >={low[0]}.{low[1]},"
            f"<{high[0]}.{high[1]} but {shown} is installed: check that fetch still raises"
            " a bare asyncio.TimeoutError and that FastStream still only catches"
            " nats.errors.TimeoutError, then update WRITTEN_FOR (or drop the patch)."
        )


def is_applied() -> bool:
    return bool(
        getattr(JetStreamContext.PullSubscription.fetch, _MARK, False)
        and getattr(Subscription.next_msg, _MARK, False)
    )


def apply() -> None:
    """Wrap ``PullSubscription.fetch`` so its timeouts are ``nats.errors.TimeoutError``,
    and ``Subscription.next_msg`` so a message already queued is returned at once.

    Idempotent; the originals stay reachable as ``fetch.__wrapped__`` and
    ``next_msg.__wrapped__``.
    """
    if is_applied():
        return
    check_version()
    _wrap_fetch()
    _wrap_next_msg()


def _wrap_fetch() -> None:
    if getattr(JetStreamContext.PullSubscription.fetch, _MARK, False):
        return
    cls = JetStreamContext.PullSubscription
    original = cls.fetch

    @functools.wraps(original)
    async def fetch(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, *args, **kwargs)
        except NatsTimeoutError:
            raise
        except TimeoutError as exc:
            raise NatsTimeoutError from exc

    setattr(fetch, _MARK, True)
    cls.fetch = fetch  # type: ignore[method-assign]


def _wrap_next_msg() -> None:
    if getattr(Subscription.next_msg, _MARK, False):
        return
    original = Subscription.next_msg

    @functools.wraps(original)
    async def next_msg(self: Any, timeout: float | None = 1.0) -> Msg:
        queue = self._pending_queue
        if (
            self._cb is None
            and not self._pending_next_msgs_calls  # nobody else waits on this queue
            and not queue.empty()
            and not self._conn.is_closed
        ):
            msg: Msg = queue.get_nowait()
            self._pending_size -= len(msg.data)
            queue.task_done()  # as the original: consumed once handed over
            return msg
        return await original(self, timeout)

    setattr(next_msg, _MARK, True)
    Subscription.next_msg = next_msg  # type: ignore[method-assign]
