"""The timer worker: fires due life timers in a loop, off the event loop.

Any replica may run it: each timer is claimed by a conditional UPDATE in the
transaction that records its effect, so two workers never fire one twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from shared.outbox import OutboxRelay

log = logging.getLogger("entraide.matcher.timers")


class TimerWorker:
    def __init__(
        self, fire: Callable[[], int], relay: OutboxRelay, poll_s: float, batch: int
    ) -> None:
        self.fire = fire
        self.relay = relay
        self.poll_s = poll_s
        self.batch = batch
        self.wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def notify(self) -> None:
        """Look again now (the clock moved, or something was scheduled)."""
        self.wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="life-timers")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            self.wakeup.clear()
            try:
                fired = await asyncio.to_thread(self.fire)
                if fired:
                    self.relay.notify()
                    if fired >= self.batch:
                        continue
            except asyncio.CancelledError:
                raise
            except Exception:  # a database outage: try again at the next tick
                log.exception("life timer worker error")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), timeout=self.poll_s)
