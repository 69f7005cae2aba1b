"""The round worker: claims requested rounds and computes them off the event loop.

Any replica may run it; the ``claim`` use case gives one round to one worker, and a
round whose worker died is claimed again when its lease runs out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from services.matcher.adapters.background import WakeableLoop
from shared.outbox import OutboxRelay

log = logging.getLogger("entraide.matcher.worker")
Claim = Callable[[], str | None]
Run = Callable[[str, Callable[[], None]], object]


class RoundWorker(WakeableLoop):
    name = "round-worker"

    def __init__(self, claim: Claim, run: Run, relay: OutboxRelay) -> None:
        super().__init__()
        self.claim = claim
        self.run = run
        self.relay = relay

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()

        def wake_relay() -> None:  # called from the worker thread
            loop.call_soon_threadsafe(self.relay.notify)

        while True:
            try:
                round_id = await asyncio.to_thread(self.claim)
                if round_id is not None:
                    log.info("computing round %s", round_id)
                    self.relay.notify()
                    await asyncio.to_thread(self.run, round_id, wake_relay)
                    self.relay.notify()
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:  # the round is marked failed; keep serving the others
                log.exception("round worker error")
            self.wakeup.clear()
            await self.sleep(1.0)
