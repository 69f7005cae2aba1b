"""Transactional outbox: event rows written with the change, relayed to JetStream.

The relay publishes unsent rows in insertion order with ``Nats-Msg-Id`` = event id and
marks a row sent only after JetStream's PubAck. To keep throughput when the server
fsyncs every write, it keeps up to ``window`` PubAcks in flight, but never two rows of
the same member at once: a window ends at the first row whose member is already in it.
So a member's events are stored in order whatever fails. If the broker is down the
relay waits and retries from the first unsent row; a row published but not yet marked
(crash in between, or an ack lost) is re-published and dropped by the stream's
de-duplication window.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from nats.js.client import JetStreamContext
from sqlalchemy import Connection, Engine, Row, func, insert, select, update

from services.profiles.adapters.orm import outbox
from shared.events import Event, MemberEvent

log = logging.getLogger("entraide.profiles.outbox")


def add_event(conn: Connection, event: Event) -> None:
    """Write ``event`` into the outbox inside the caller's transaction."""
    add_events(conn, [event])


def add_events(conn: Connection, events: Sequence[Event]) -> None:
    """Write several events (in this order) inside the caller's transaction."""
    if not events:
        return
    now = datetime.now(UTC)
    conn.execute(
        insert(outbox),
        [
            {
                "event_id": e.event_id,
                "subject": e.subject,
                "member_id": e.member_id if isinstance(e, MemberEvent) else None,
                "payload": e.model_dump_json(),
                "created_at": now,
            }
            for e in events
        ],
    )


def events_of(conn: Connection, member_id: str) -> list[dict[str, Any]]:
    """The outbox rows about one member, oldest first (for the GDPR export)."""
    rows = conn.execute(select(outbox).where(outbox.c.member_id == member_id).order_by(outbox.c.id))
    return [
        {
            "event_id": r.event_id,
            "subject": r.subject,
            "created_at": r.created_at,
            "sent_at": r.sent_at,
            "payload": json.loads(r.payload),
        }
        for r in rows
    ]


def pending_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
            ).scalar_one()
        )


def windows(rows: Sequence[Row[Any]], size: int) -> list[list[Row[Any]]]:
    """Split rows (in order) into windows of at most ``size`` with one row per member."""
    out: list[list[Row[Any]]] = []
    current: list[Row[Any]] = []
    members: set[str] = set()
    for row in rows:
        key = row.member_id
        if len(current) >= size or (key is not None and key in members):
            out.append(current)
            current, members = [], set()
        current.append(row)
        if key is not None:
            members.add(key)
    if current:
        out.append(current)
    return out


class OutboxRelay:
    """Background task that drains the outbox into JetStream."""

    def __init__(
        self, engine: Engine, js: JetStreamContext, batch: int = 1000, window: int = 256
    ) -> None:
        self.engine = engine
        self.js = js
        self.batch = batch
        self.window = window
        self.wakeup = asyncio.Event()
        self.published = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def notify(self) -> None:
        """Call after a commit that added outbox rows; safe from any thread."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self.wakeup.set()
        else:
            loop.call_soon_threadsafe(self.wakeup.set)

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._loop = None

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
        """Publish one batch of unsent rows; return how many were published.

        Raises the first publish error after marking what was acknowledged.
        """
        # database calls run in a thread: a long import transaction must not stall the loop
        rows = await asyncio.to_thread(self._unsent)
        total = 0
        for chunk in windows(rows, self.window):
            results = await asyncio.gather(
                *(self._publish(row) for row in chunk), return_exceptions=True
            )
            done = [row.id for row, res in zip(chunk, results, strict=True) if res is None]
            await asyncio.to_thread(self._mark_sent, done)
            total += len(done)
            errors = [r for r in results if isinstance(r, BaseException)]
            if errors:
                raise errors[0]
        return total

    def _unsent(self) -> Sequence[Any]:
        with self.engine.connect() as conn:
            return conn.execute(
                select(
                    outbox.c.id,
                    outbox.c.event_id,
                    outbox.c.subject,
                    outbox.c.member_id,
                    outbox.c.payload,
                )
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self.batch)
            ).all()

    async def _publish(self, row: Row[Any]) -> None:
        await self.js.publish(
            row.subject, row.payload.encode(), headers={"Nats-Msg-Id": row.event_id}, timeout=5.0
        )

    def _mark_sent(self, ids: list[int]) -> None:
        if not ids:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox).where(outbox.c.id.in_(ids)).values(sent_at=datetime.now(UTC))
            )
        self.published += len(ids)
