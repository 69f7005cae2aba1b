"""Transactional outbox: event rows written with the change, relayed to JetStream.

The relay publishes unsent rows in insertion order with ``Nats-Msg-Id`` = event id and
marks a row sent only after JetStream's PubAck. If the broker is down it waits and
retries from the first unsent row, so order per member is kept; a row published but
not yet marked (crash in between) is re-published and dropped by the stream's
de-duplication window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from nats.js.client import JetStreamContext
from sqlalchemy import Connection, Engine, insert, select, update

from services.profiles.adapters.orm import outbox
from shared.events import Event, MemberEvent

log = logging.getLogger("entraide.profiles.outbox")


def add_event(conn: Connection, event: Event) -> None:
    """Write ``event`` into the outbox inside the caller's transaction."""
    conn.execute(
        insert(outbox).values(
            event_id=event.event_id,
            subject=event.subject,
            member_id=event.member_id if isinstance(event, MemberEvent) else None,
            payload=event.model_dump_json(),
            created_at=datetime.now(UTC),
        )
    )


def pending_count(engine: Engine) -> int:
    from sqlalchemy import func

    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
            ).scalar_one()
        )


class OutboxRelay:
    """Background task that drains the outbox into JetStream."""

    def __init__(self, engine: Engine, js: JetStreamContext, batch: int = 500) -> None:
        self.engine = engine
        self.js = js
        self.batch = batch
        self.wakeup = asyncio.Event()
        self.published = 0
        self._task: asyncio.Task[None] | None = None

    def notify(self) -> None:
        """Call after a commit that added outbox rows."""
        self.wakeup.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        delay = 0.2
        while True:
            try:
                sent = await self.drain_once()
                delay = 0.2
            except Exception as exc:  # broker down, timeout: keep rows, retry later
                log.warning("outbox relay paused (%r); retrying in %.1f s", exc, delay)
                sent = 0
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if sent == 0:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), timeout=1.0)

    async def drain_once(self) -> int:
        """Publish one batch of unsent rows; return how many were published."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(outbox.c.id, outbox.c.event_id, outbox.c.subject, outbox.c.payload)
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self.batch)
            ).all()
        done: list[int] = []
        try:
            for row in rows:
                await self.js.publish(
                    row.subject,
                    row.payload.encode(),
                    headers={"Nats-Msg-Id": row.event_id},
                    timeout=5.0,
                )
                done.append(row.id)
        finally:
            if done:
                with self.engine.begin() as conn:
                    conn.execute(
                        update(outbox)
                        .where(outbox.c.id.in_(done))
                        .values(sent_at=datetime.now(UTC))
                    )
                self.published += len(done)
        return len(done)
