"""The timer worker: fires due life timers in a loop, off the event loop, and resumes
the automatic repairs a stop interrupted.

Any replica may run it: each timer is claimed by a conditional UPDATE in the
transaction that records its effect, so two workers never fire one twice; a repair's
departures are claimed the same way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from services.matcher.adapters.background import WakeableLoop
from shared.outbox import OutboxRelay

log = logging.getLogger("entraide.matcher.timers")


class TimerWorker(WakeableLoop):
    name = "life-timers"

    def __init__(
        self, fire: Callable[[], int], relay: OutboxRelay, poll_s: float, batch: int
    ) -> None:
        super().__init__()
        self.fire = fire
        self.relay = relay
        self.poll_s = poll_s
        self.batch = batch

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
            await self.sleep(self.poll_s)
