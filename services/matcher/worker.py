"""The round worker: claims requested rounds and computes them off the event loop.

Any replica may run it; ``claim_next`` makes sure one round is computed by one worker,
and a round whose worker died is claimed again when its lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import Engine

from services.matcher import proposals
from shared.outbox import OutboxRelay

log = logging.getLogger("entraide.matcher.worker")


class RoundWorker:
    def __init__(self, engine: Engine, relay: OutboxRelay) -> None:
        self.engine = engine
        self.relay = relay
        self.wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def notify(self) -> None:
        self.wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="round-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()

        def wake_relay() -> None:  # called from the worker thread
            loop.call_soon_threadsafe(self.relay.notify)

        while True:
            try:
                round_id = await asyncio.to_thread(proposals.claim_next, self.engine)
                if round_id is not None:
                    log.info("computing round %s", round_id)
                    self.relay.notify()
                    await asyncio.to_thread(
                        proposals.run_round,
                        self.engine,
                        round_id,
                        notify=wake_relay,
                    )
                    self.relay.notify()
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:  # the round is marked failed; keep serving the others
                log.exception("round worker error")
            self.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wakeup.wait(), timeout=1.0)
