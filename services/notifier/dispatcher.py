"""The dispatcher: a loop inside the notifier that sends what the consumer recorded.

Each scan leases due messages (:func:`store.claim`), looks up the contacts in
profiles, and hands each message to a worker thread that decides, renders and sends
through apprise inside a :class:`~services.notifier.handshake.Handshake`: the channel
commits the delivery as sent at the last moment before it becomes irrevocable (for
SMTP, before the ``CRLF . CRLF`` terminator), so a crash can lose at most a message
whose commit had returned, never send one twice. The leases of committed messages
are released in bulk at the end of the scan. Then it publishes ``notification.delivered`` /
``notification.failed`` (and the dead letters) for the rows that changed, from the
table itself (outbox), with a ``Nats-Msg-Id`` derived from the row so a republish
after a crash is dropped by JetStream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from services.notifier import SERVICE, handshake, smtp_session, store
from services.notifier.config import DispatcherOptions
from services.notifier.domain.model import Contact, Rendered
from services.notifier.domain.policy import decide, retry_delay
from services.notifier.domain.recipients import people_named
from services.notifier.errors import ChannelError, ProfilesUnavailable
from services.notifier.profiles_client import ProfilesClient
from services.notifier.rendering import Section, render
from shared.events import NotificationDelivered, NotificationFailed

log = logging.getLogger("entraide.notifier.dispatcher")

Publish = Callable[[str, bytes, dict[str, str]], Awaitable[None]]
DeadLetter = Callable[[bytes, str], Awaitable[None]]


class Sender(Protocol):
    def send(self, contact: Contact, message: Rendered, message_key: str) -> None: ...


class LeaseLost(Exception):
    """Another dispatcher took this message over (our lease expired): leave it alone."""


@dataclass
class Outcome:
    status: str
    reason: str | None = None
    #: Nothing left the process (a skip, an in-app entry): the scan records it in bulk.
    quiet: bool = False
    ids: tuple[str, ...] = ()
    content: dict[str, Any] | None = None
    #: Recorded as sent at the commit point: the scan releases its lease in bulk.
    committed: bool = False


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        options: DispatcherOptions,
        profiles: ProfilesClient,
        senders: dict[str, Sender | None],
        publish: Publish,
        dead_letter: DeadLetter,
        max_attempts: int,
        retry_base_s: float,
    ) -> None:
        self.engine = engine
        self.options = options
        self.profiles = profiles
        self.senders = senders
        self.publish = publish
        self.dead_letter = dead_letter
        self.max_attempts = max_attempts
        self.retry_base_s = retry_base_s
        self.pool = ThreadPoolExecutor(options.workers, thread_name_prefix="notifier-send")
        self._stopping = asyncio.Event()
        self._outbox_due = asyncio.Event()

    async def run(self) -> None:
        """Scan until stopped; a failing scan is logged and retried, never fatal.

        ``options.lanes`` scans run at once (each claims other messages: the lease), so
        the lookups of one overlap the sends of another instead of waiting for its
        slowest message. The outbox is published by a task of its own, so no scan
        waits for the broker's acknowledgements.
        """
        outbox = asyncio.create_task(self._outbox_loop(), name="notifier-outbox")
        try:
            await asyncio.gather(*(self._lane() for _ in range(self.options.lanes)))
        finally:
            self._outbox_due.set()
            await outbox

    async def _lane(self) -> None:
        while not self._stopping.is_set():
            try:
                busy = await self.scan()
            except Exception:
                log.exception("dispatcher scan failed; retrying")
                busy = 0
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.options.poll_interval_s)

    async def _outbox_loop(self) -> None:
        while True:
            stopping = self._stopping.is_set()
            try:
                published = await self.publish_outbox()
            except Exception:
                log.exception("outbox publication failed; retrying")
                published = 0
            if stopping and not published:
                return
            if not published:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._outbox_due.wait(), self.options.poll_interval_s)
                self._outbox_due.clear()

    async def stop(self) -> None:
        self._stopping.set()

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        smtp_session.close_idle()  # the kept SMTP connections of the ended workers

    async def scan(self) -> int:
        """One pass: claim, resolve, deliver, publish. Returns how many messages it handled."""
        now = datetime.now(UTC)
        token = uuid.uuid4().hex
        lease = timedelta(seconds=self.options.lease_s)
        groups = await asyncio.to_thread(
            store.claim, self.engine, now, self.options.batch_size, lease, token
        )
        if groups:
            loop = asyncio.get_running_loop()

            async def handle(group: store.Group) -> Outcome:
                # Lookups of one message overlap the sends of the others.
                contacts = await self._contacts([group])
                return await loop.run_in_executor(self.pool, self.deliver, group, contacts, token)

            outcomes = await asyncio.gather(*(handle(g) for g in groups))
            quiet = [(o.ids, o.status, o.reason, o.content) for o in outcomes if o.quiet]
            sent = [(o.ids, o.reason) for o in outcomes if o.committed]
            await asyncio.to_thread(store.close_scan, self.engine, token, now, quiet, sent)
            self._outbox_due.set()
        return len(groups)

    async def _contacts(self, groups: list[store.Group]) -> dict[str, Contact | Exception | None]:
        wanted: set[str] = set()
        for g in groups:
            wanted.add(g.member_id)
            for row in g.rows:
                wanted.update(people_named(row.payload, g.member_id))
        ids = sorted(wanted)
        found = await asyncio.gather(*(self.profiles.get(i) for i in ids), return_exceptions=True)
        result: dict[str, Contact | Exception | None] = {}
        for member_id, found_one in zip(ids, found, strict=True):
            if isinstance(found_one, BaseException) and not isinstance(found_one, Exception):
                raise found_one  # cancellation and the like are not lookup failures
            result[member_id] = found_one
        return result

    def deliver(
        self, group: store.Group, contacts: dict[str, Contact | Exception | None], token: str
    ) -> Outcome:
        """Decide, render, send and record one message (runs in a worker thread)."""
        ids = [r.id for r in group.rows]
        now = datetime.now(UTC)
        try:
            outcome, content = self._attempt(group, contacts, now, token)
            if outcome.quiet or outcome.committed:
                outcome.ids, outcome.content = tuple(ids), content
                return outcome
        except LeaseLost:
            log.warning("lease of %s lost before sending; another worker has it", group.key)
            return Outcome("claimed", "lease lost")
        except ProfilesUnavailable as exc:
            later = now + timedelta(seconds=min(60.0, 4 * self.retry_base_s))
            store.finish(self.engine, ids, token, now, status="pending", reason=str(exc),
                         retry_at=later)  # fmt: skip
            return Outcome("pending", str(exc))
        except ChannelError as exc:
            outcome, content = self._failure(group, exc), None
        except Exception as exc:  # a bug must not wedge the message: retry, then dead-letter
            log.exception("unexpected error delivering %s", group.key)
            outcome, content = self._failure(group, ChannelError(f"erreur interne : {exc!r}")), None
        retry_at: datetime | None = None
        if outcome.status == "pending":
            delay = retry_delay(group.attempts + 1, self.retry_base_s)
            retry_at = now + timedelta(seconds=delay)
        store.finish(self.engine, ids, token, datetime.now(UTC), status=outcome.status,
                     reason=outcome.reason, retry_at=retry_at, content=content,
                     count_attempt=outcome.status in {"pending", "failed"})  # fmt: skip
        return outcome

    def _attempt(
        self,
        group: store.Group,
        contacts: dict[str, Contact | Exception | None],
        now: datetime,
        token: str,
    ) -> tuple[Outcome, dict[str, Any] | None]:
        needed = [
            group.member_id,
            *{p for r in group.rows for p in people_named(r.payload, group.member_id)},
        ]
        for member_id in needed:
            found = contacts.get(member_id)
            if isinstance(found, ProfilesUnavailable):
                raise found
            if isinstance(found, Exception):
                raise ProfilesUnavailable(f"profils : {found!r}")
        me = contacts.get(group.member_id)
        if not isinstance(me, Contact):
            return Outcome("skipped", "membre effacé", quiet=True), None
        decision = decide(me, group.channel, now.date(), group.already_told)  # type: ignore[arg-type]
        if not decision.send:
            return Outcome("skipped", decision.reason, quiet=True), None
        sender = self.senders.get(group.channel)
        if group.channel != "inapp" and sender is None:
            reason = f"canal {group.channel} non configuré sur ce serveur"
            return Outcome("skipped", reason, quiet=True), None
        sections = [Section(r.payload, r.role) for r in group.rows]
        message = render(sections, me, contacts, now)  # type: ignore[arg-type]  # checked above
        content = {"subject": message.subject, "body": message.body, "language": me.language}
        if sender is None:  # the in-app inbox: storing the rendered entry is the delivery
            return Outcome("sent", quiet=True), content
        ids = [r.id for r in group.rows]
        if not store.start_sending(self.engine, ids, token, now):
            raise LeaseLost(group.key)
        resumed = store.RESUMED if any(r.resumed for r in group.rows) else None
        self._send(sender, me, message, group, token, content, resumed)
        return Outcome("sent", resumed, committed=True), content

    def _send(self, sender: Sender, me: Contact, message: Rendered, group: store.Group,
              token: str, content: dict[str, Any], reason: str | None) -> None:  # fmt: skip
        """Send with a handshake; returns once the delivery is committed as sent."""
        ids = [r.id for r in group.rows]

        def commit() -> None:
            if not store.mark_sent(self.engine, ids, token, datetime.now(UTC), content, reason):
                raise LeaseLost(group.key)

        def undo(reply: str) -> None:
            store.unmark_sent(self.engine, ids, token, datetime.now(UTC))

        hs = handshake.Handshake(commit, undo)
        try:
            with handshake.active(hs):
                sender.send(me, message, group.key)
        except ChannelError as exc:
            if isinstance(hs.error, LeaseLost):
                raise hs.error from exc
            if hs.error is not None:
                raise ChannelError(f"validation de l'envoi impossible : {hs.error!r}") from exc
            if hs.committed:  # terminator written, reply lost: kept as sent (at most once)
                log.warning("%s: %s", group.key, hs.uncertain_reason)
                return
            if hs.refusal is not None:
                raise ChannelError(f"message refusé par le serveur SMTP : {hs.refusal}") from exc
            raise
        if not hs.committed:  # chat (HTTP has no commit point): after the 2xx reply
            hs.commit()

    def _failure(self, group: store.Group, exc: ChannelError) -> Outcome:
        attempts = group.attempts + 1  # the rows were read before start_sending counted it
        if exc.transient and attempts < self.max_attempts:
            return Outcome("pending", f"tentative {attempts}/{self.max_attempts} : {exc}")
        return Outcome("failed", f"abandon après {attempts} tentative(s) : {exc}")

    async def publish_outbox(self) -> int:
        """Publish the pending events (64 awaiting their acknowledgement at a time)."""
        rows = await asyncio.to_thread(store.unpublished, self.engine, datetime.now(UTC))
        for start in range(0, len(rows), 64):
            await asyncio.gather(*(self._publish_row(r) for r in rows[start : start + 64]))
        if rows:
            await asyncio.to_thread(store.mark_published, self.engine, [r.id for r in rows])
        return len(rows)

    async def _publish_row(self, row: Any) -> None:
        common = dict(
            event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{row.id}/{row.status}").hex,
            producer=SERVICE, match_id=row.match_id, round_id=row.round_id,
            member_id=row.member_id, channel=row.channel,
        )  # fmt: skip
        event: NotificationDelivered | NotificationFailed
        if row.status == "sent":
            event = NotificationDelivered(**common)
        else:
            event = NotificationFailed(**common, attempts=max(1, row.attempts),
                                       reason=row.reason or "raison inconnue")  # fmt: skip
        body = event.model_dump_json().encode()
        await self.publish(event.subject, body, {"Nats-Msg-Id": event.event_id})
        if row.status == "failed":
            await self.dead_letter(body, row.reason or "raison inconnue")
