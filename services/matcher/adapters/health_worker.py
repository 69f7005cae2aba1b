"""The health refresher: keeps the dashboard's reports computed, off the event loop.

Woken when new health facts or member changes arrive, or when a view was served a report
older than the projection; it waits until the changes settle (debounce: an import of
thousands of members is one recomputation, not one per batch), then computes what is due.
It also looks once a minute, so a new day's default period is ready before it is asked.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from services.matcher.adapters.background import WakeableLoop

log = logging.getLogger("entraide.matcher.health")
#: At most this many quiet periods are awaited before computing anyway (steady traffic:
#: a campaign of profile updates or a bulk import costs one computation a minute, not one
#: every ten seconds competing with the projection for the interpreter).
MAX_SETTLE = 60


class HealthRefresher(WakeableLoop):
    name = "health-refresher"

    def __init__(self, refresh: Callable[[], int], debounce_s: float, tick_s: float = 60.0) -> None:
        super().__init__()
        self.refresh = refresh
        self.debounce_s = debounce_s
        self.tick_s = tick_s
        self._last_change = float("-inf")  # loop time of the last change notified

    def notify(self, changed: bool = True) -> None:
        """Look again now: the projection changed (``changed``), or a view was served a
        report older than it. Only changes put the computation off (:meth:`settle`): a
        dashboard asking again every half second while a report is due must not (it did:
        each view's wake-up restarted the debounce, 30 s for 60 of them)."""
        if changed:
            self._last_change = asyncio.get_running_loop().time()
        super().notify()

    async def settle(self) -> None:
        """Return once no change came for ``debounce_s`` (or after MAX_SETTLE periods).
        The wake-ups until then are what the computation that follows answers."""
        loop = asyncio.get_running_loop()
        give_up = loop.time() + MAX_SETTLE * self.debounce_s
        while (now := loop.time()) < give_up:
            quiet_at = self._last_change + self.debounce_s
            if now >= quiet_at:
                break
            await asyncio.sleep(min(quiet_at, give_up) - now)
        self.wakeup.clear()

    async def _run(self) -> None:
        while True:
            await self.settle()
            try:
                computed = await asyncio.to_thread(self.refresh)
                if computed:
                    log.info("health reports computed: %d", computed)
            except asyncio.CancelledError:
                raise
            except Exception:  # a database outage: try again at the next wake-up or tick
                log.exception("health refresher error")
            await self.sleep(self.tick_s)
