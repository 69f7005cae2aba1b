"""A background loop in the service's lifespan that can be woken up (shared by the round
worker and the timer worker): ``notify`` wakes it, ``start`` and ``stop`` bracket it."""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod


class WakeableLoop(ABC):
    """One asyncio task running :meth:`_run`; :meth:`sleep` waits for a wake-up or a tick."""

    name = "background-loop"

    def __init__(self) -> None:
        self.wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def notify(self) -> None:
        """Look again now (something was requested or scheduled, or the clock moved)."""
        self.wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def sleep(self, timeout: float) -> None:
        """Wait until :meth:`notify` or ``timeout`` seconds, whichever comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wakeup.wait(), timeout=timeout)

    @abstractmethod
    async def _run(self) -> None: ...
