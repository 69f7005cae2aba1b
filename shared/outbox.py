"""Transactional outbox shared by the services that emit events from a state change.

``add_events`` writes event rows inside the caller's transaction; ``OutboxRelay``
publishes unsent rows in insertion order to JetStream with ``Nats-Msg-Id`` = event id
and marks a row sent only after JetStream's PubAck. To keep throughput when the server
fsyncs every write, it keeps up to ``window`` PubAcks in flight, but never two rows of
the same member at once: a window ends at the first row whose member is already in it
(``window=1`` publishes strictly one after the other). So a member's events are stored
in order whatever fails. If the broker is down the relay waits and retries from the
first unsent row; a row published but not yet marked (crash in between, or an ack
lost) is re-published and dropped by the stream's de-duplication window.

Each row keeps the correlation id of the work that wrote it (:mod:`shared.correlation`):
the relay publishes it as a message header, so the consumers carry it on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from nats.js.client import JetStreamContext
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
)

from shared import correlation, group_commit, tracing
from shared.db import DriverRows, UtcDateTime
from shared.driver_sql import DriverStatement
from shared.events import Event, MemberEvent

log = logging.getLogger("entraide.outbox")
#: How long the relay waits for a PubAck.
PUBACK_TIMEOUT_S = 5.0
#: Rows the relay sends before it lets the event loop run other work (a window of 256
#: sent at once held the loop for milliseconds).
SENDS_PER_TURN = 32


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
        Column("created_at", UtcDateTime(), nullable=False),
        Column("sent_at", UtcDateTime(), nullable=True, index=True),
        Column("correlation_id", String(correlation.MAX_LENGTH), nullable=True),
    )


#: The columns an event's row is written with.
_COLUMNS = ("event_id", "subject", "member_id", "payload", "created_at", "correlation_id")


def add_events(conn: Connection, outbox: Table, events: Sequence[Event]) -> None:
    """Write several events (in this order) inside the caller's transaction, with the
    current correlation id."""
    if not events:
        return
    now = datetime.now(UTC)
    correlation_id = correlation.current()
    if len(events) > 1:  # a batch (a round's publication): tuples straight to the driver
        rows = DriverRows(conn, outbox)
        created_at = rows.bind("created_at", now)
        rows.insert(
            _COLUMNS,
            [(e.event_id, e.subject, e.member_id if isinstance(e, MemberEvent) else None,
              e.model_dump_json(), created_at, correlation_id) for e in events],
        )  # fmt: skip
        return
    event = events[0]
    _insert_into(outbox).execute(
        conn,
        {
            "event_id": event.event_id,
            "subject": event.subject,
            "member_id": event.member_id if isinstance(event, MemberEvent) else None,
            "payload": event.model_dump_json(),
            "created_at": now,
            "correlation_id": correlation_id,
        },
    )


@functools.cache
def _insert_into(outbox: Table) -> DriverStatement:
    """``insert(outbox)``, built once per table and run on the driver's cursor: building
    it cost more than running it, and SQLAlchemy's execution of it a tenth of a
    ``PATCH /me``'s write (profiled)."""
    return DriverStatement(insert(outbox), columns=_COLUMNS)


@contextlib.contextmanager
def _sending(row: Row[Any]) -> Iterator[dict[str, str]]:
    """The headers of ``row``'s message (its event id for JetStream's deduplication, its
    correlation id), inside the publication's tracing span."""
    headers = correlation.headers_with({"Nats-Msg-Id": row.event_id}, row.correlation_id)
    with tracing.publish_span(row.subject, headers, row.correlation_id):
        yield headers


def add_event(conn: Connection, outbox: Table, event: Event) -> None:
    """Write ``event`` into ``outbox`` inside the caller's transaction."""
    add_events(conn, outbox, [event])


def purge_sent(engine: Engine, outbox: Table, older_than: timedelta) -> int:
    """Delete rows published more than ``older_than`` ago (the stream keeps the events)."""
    cutoff = datetime.now(UTC) - older_than
    with engine.begin() as conn:
        done = conn.execute(
            delete(outbox).where(outbox.c.sent_at.is_not(None), outbox.c.sent_at < cutoff)
        )
    return int(done.rowcount or 0)


def pending_count(engine: Engine, outbox: Table) -> int:
    with engine.connect() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
        return int(conn.execute(query).scalar_one())


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


def raise_if_cancelled() -> None:
    """Raise the cancellation of the current task if one is pending but was swallowed.

    On Python 3.11 ``asyncio.wait_for`` (nats-py's request, so every JetStream publish)
    returns the result instead of raising when the cancellation arrives as its future
    completes; the task then runs on with ``cancelling() > 0``, and ``stop()`` would wait
    for a relay that never stops. ``asyncio.gather`` re-raises such a cancellation by
    itself; a direct ``await`` needs this check after it.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


class OutboxRelay:
    """Background task that drains an outbox table into JetStream."""

    def __init__(
        self,
        engine: Engine,
        outbox: Table,
        js: JetStreamContext,
        batch: int = 1000,
        window: int = 256,
        retention: timedelta = timedelta(days=30),
    ) -> None:
        self.engine = engine
        self.outbox = outbox
        self.js = js
        self.batch = batch
        self.window = window
        self.retention = retention
        self._next_purge = 0.0
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
            raise_if_cancelled()
            try:
                sent = await self.drain_once()
                delay = 0.2
            except Exception as exc:  # broker down, timeout: keep rows, retry later
                log.warning("outbox relay paused (%r); retrying in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            if sent == 0:
                await self._purge_now_and_then()
                self.wakeup.clear()
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a
                # cancellation that arrives as the wake-up is set (a write answered in
                # the event loop right before shutdown), and stop() then waits forever
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(1.0):
                        await self.wakeup.wait()

    async def _purge_now_and_then(self) -> None:
        """Once an hour, when idle, drop rows sent longer ago than ``retention``."""
        now = asyncio.get_running_loop().time()
        if now < self._next_purge:
            return
        self._next_purge = now + 3600
        try:
            purged = await asyncio.to_thread(purge_sent, self.engine, self.outbox, self.retention)
        except Exception:  # housekeeping must never stop the relay
            log.warning("outbox purge failed", exc_info=True)
            return
        if purged:
            log.info("purged %d sent outbox rows older than %s", purged, self.retention)

    async def drain_once(self) -> int:
        """Publish one batch of unsent rows; return how many were published.

        Raises the first publish error after marking what was acknowledged.
        """
        # database calls run in a thread: a long import transaction must not stall the loop
        rows = await asyncio.to_thread(self._unsent)
        done: list[int] = []
        failed: BaseException | None = None
        for chunk in windows(rows, self.window):
            if len(chunk) == 1:  # strict order (window=1): no task per row
                try:
                    await self._publish(chunk[0])
                except Exception as exc:
                    failed = exc
                    break
                done.append(chunk[0].id)
                raise_if_cancelled()
                continue
            acked, error = await self._publish_window(chunk)
            done += acked
            if error is not None:
                failed = error
                break
        # one UPDATE for the batch, not one per window: a window of one row (the matcher's
        # strict order) made it a commit per event. Stopped or crashed before it, the
        # batch's rows stay unsent: published again, dropped by the stream's dedup window.
        await asyncio.to_thread(self._mark_sent, done)
        if failed is not None:
            raise failed
        return len(done)

    def _unsent(self) -> Sequence[Any]:
        outbox = self.outbox
        with self.engine.connect() as conn:
            return conn.execute(
                select(
                    outbox.c.id,
                    outbox.c.event_id,
                    outbox.c.subject,
                    outbox.c.member_id,
                    outbox.c.payload,
                    outbox.c.correlation_id,
                )
                .where(outbox.c.sent_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self.batch)
            ).all()

    async def _publish(self, row: Row[Any]) -> None:
        with _sending(row) as headers:
            await self.js.publish(
                row.subject, row.payload.encode(), headers=headers, timeout=PUBACK_TIMEOUT_S
            )

    async def _publish_window(
        self, chunk: list[Row[Any]]
    ) -> tuple[list[int], BaseException | None]:
        """Send a window's rows back to back, then wait for their PubAcks together:
        ``publish_async`` gives a future per row, where ``publish`` took a task, a
        request and a timer each (profiled: the relay's share of ``PATCH /me``'s event
        loop). The ids acknowledged, and the first error in the window's order."""
        sent: list[tuple[int, asyncio.Future[Any]]] = []
        error: BaseException | None = None
        for row in chunk:
            try:
                with _sending(row) as headers:
                    ack = await self.js.publish_async(
                        row.subject, row.payload.encode(), headers=headers
                    )
            except Exception as exc:  # not sent (connection lost): later rows wait
                error = exc
                break
            sent.append((row.id, ack))
            if len(sent) % SENDS_PER_TURN == 0:
                await asyncio.sleep(0)  # a send does not yield: let requests through
        acks = [ack for _, ack in sent]
        try:
            if acks:
                await asyncio.wait(acks, timeout=PUBACK_TIMEOUT_S)
        finally:
            for ack in acks:  # no PubAck in time, or the relay stops: published again
                ack.cancel()
        acked: list[int] = []
        for row_id, ack in sent:
            if ack.cancelled():
                error = error or TimeoutError(f"no PubAck within {PUBACK_TIMEOUT_S} s")
            elif ack.exception() is not None:
                error = error or ack.exception()
            else:
                acked.append(row_id)
        return acked, error

    def _mark_sent(self, ids: list[int]) -> None:
        if not ids:
            return
        now = datetime.now(UTC)

        def mark(conn: Connection) -> None:
            # one executemany on the driver: the writer thread runs it between requests
            rows = DriverRows(conn, self.outbox)
            sent_at = rows.bind("sent_at", now)
            rows.update(["sent_at"], "id", [(sent_at, row_id) for row_id in ids])

        # with the requests' writes when they go through a group commit (one fsync)
        group_commit.run(self.engine, mark)
        self.published += len(ids)
