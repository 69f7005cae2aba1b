"""nats-py: an empty JetStream pull ``fetch`` times out with nats' own ``TimeoutError``.

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
"""

from __future__ import annotations

import functools
import importlib.metadata
import re
from typing import Any, Final

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
    return bool(getattr(JetStreamContext.PullSubscription.fetch, _MARK, False))


def apply() -> None:
    """Wrap ``PullSubscription.fetch`` so its timeouts are ``nats.errors.TimeoutError``.

    Idempotent; the original stays reachable as ``fetch.__wrapped__``.
    """
    if is_applied():
        return
    check_version()
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
