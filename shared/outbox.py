"""Transactional outbox shared by the services that emit events from a state change.

``add_event`` writes the event row inside the caller's transaction; ``OutboxRelay``
publishes unsent rows in insertion order to JetStream with ``Nats-Msg-Id`` = event id
and marks them sent only after the PubAck. If the broker is down it waits and retries
from the first unsent row, so per-member order is kept; a row published but not yet
marked (crash in between) is published again and dropped by the stream's
de-duplication window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from nats.js.client import JetStreamContext
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)

from shared.events import Event, MemberEvent

log = logging.getLogger("entraide.outbox")


def outbox_table(metadata: MetaData) -> Table:
    """The ``outbox`` table, declared in a service's own metadata."""
    return Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("subject", String(200), nullable=False),
        Column("member_id", String(64), nullable=True, index=True),
        Column("payload", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True, index=True),
    )


def add_event(conn: Connection, outbox: Table, event: Event) -> None:
    """Write ``event`` into ``outbox`` inside the caller's transaction."""
    conn.execute(
        insert(outbox).values(
            event_id=event.event_id,
            subject=event.subject,
            member_id=event.member_id if isinstance(event, MemberEvent) else None,
            payload=event.model_dump_json(),
            created_at=datetime.now(UTC),
        )
    )


def pending_count(engine: Engine, outbox: Table) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
        return int(conn.execute(query).scalar_one())


class OutboxRelay:
    """Background task that drains an outbox table into JetStream."""

    def __init__(
        self, engine: Engine, outbox: Table, js: JetStreamContext, batch: int = 500
    ) -> None:
        self.engine = engine
        self.outbox = outbox
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
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if sent == 0:
                self.wakeup.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wakeup.wait(), timeout=1.0)

    async def drain_once(self) -> int:
        """Publish one batch of unsent rows; return how many were published."""
        o = self.outbox
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(o.c.id, o.c.event_id, o.c.subject, o.c.payload)
                .where(o.c.sent_at.is_(None))
                .order_by(o.c.id)
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
                        update(o).where(o.c.id.in_(done)).values(sent_at=datetime.now(UTC))
                    )
                self.published += len(done)
        return len(done)
