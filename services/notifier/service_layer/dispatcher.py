"""The dispatcher: a loop inside the notifier that sends what the consumer recorded.

Each scan leases due messages (:func:`repository.claim`), refreshes the skill labels
(TTL-cached), looks up the contacts in profiles, and hands each message to a worker
thread (:class:`~services.notifier.service_layer.delivery.Delivery`) that decides,
renders and sends it through apprise with the commit point of
:mod:`~services.notifier.adapters.handshake`. The leases of committed messages are
released in bulk at the end of the scan. A task of its own publishes the outbox
(:mod:`~services.notifier.service_layer.outbox`). The adapters are injected by the
composition root (:mod:`services.notifier.main`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine

from services.notifier.adapters import erasure_repository, repository, sending, smtp_session
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.domain.breaker import CircuitBreaker
from services.notifier.domain.deliveries import Group
from services.notifier.domain.erasure import group_without_erased
from services.notifier.domain.model import Contact
from services.notifier.domain.policy import RETRY_CAP_S, RETRY_HORIZON_S
from services.notifier.domain.recipients import people_named
from services.notifier.service_layer.delivery import Delivery, Outcome, Sender
from services.notifier.service_layer.outbox import DeadLetter, Publish, publish_outbox
from shared.vocabulary import Language

log = logging.getLogger("entraide.notifier.dispatcher")


class Contacts(Protocol):
    async def get(self, member_id: str) -> Contact | None: ...

    async def get_many(self, member_ids: Iterable[str]) -> dict[str, Contact | None]: ...


class Labels(Protocol):
    """Skill and theme labels (:class:`shared.catalogue.CatalogueLabels`)."""

    def label(self, code: str, language: Language) -> str: ...

    async def refresh(self, force: bool = False) -> None: ...


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        options: DispatcherOptions,
        profiles: Contacts,
        labels: Labels,
        senders: dict[str, Sender | None],
        publish: Publish,
        dead_letter: DeadLetter,
        max_attempts: int,
        retry_base_s: float,
        portal_url: str = "",
        retry_cap_s: float = RETRY_CAP_S,
        retry_horizon_s: float = RETRY_HORIZON_S,
    ) -> None:
        self.engine = engine
        self.options = options
        self.profiles = profiles
        self.labels = labels
        self.publish = publish
        self.dead_letter = dead_letter
        self.delivery = Delivery(engine, senders, labels.label, max_attempts, retry_base_s,
                                 portal_url, retry_cap_s, retry_horizon_s)  # fmt: skip
        # One relay serves every e-mail: when it is down, it is probed, not hammered.
        # (Chat webhooks are one host per member: their retries stay per delivery.)
        self.breakers = {
            "email": CircuitBreaker(options.breaker_threshold, options.breaker_open_s)
        }
        self.pool = ThreadPoolExecutor(options.workers, thread_name_prefix="notifier-send")
        # A message is admitted by its breaker only when a worker can take it, so the
        # failures of the sends in flight close the door on the ones still waiting.
        self._slots = asyncio.Semaphore(options.workers)
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
            repository.claim, self.engine, now, self.options.batch_size, lease, token
        )
        groups = await asyncio.to_thread(self._without_erased, groups)
        if groups:
            loop = asyncio.get_running_loop()
            await self._refresh_labels()
            # Everyone the scan's messages name, looked up in calls of 500 ids: one HTTP
            # request per person kept the event loop (and the member's /inbox) busy.
            contacts = await self._contacts(groups)

            async def handle(group: Group) -> Outcome:
                breaker = self.breakers.get(group.channel)
                held = Outcome("held", ids=tuple(r.id for r in group.rows))
                if breaker is not None and breaker.blocked(datetime.now(UTC)):
                    return held
                async with self._slots:  # admitted only when a worker is free for it
                    if breaker is not None and not breaker.admit(datetime.now(UTC)):
                        return held
                    deliver = self.delivery.deliver
                    outcome = await loop.run_in_executor(
                        self.pool, deliver, group, contacts, token
                    )
                self._tell_breaker(breaker, outcome)
                return outcome

            outcomes = await asyncio.gather(*(handle(g) for g in groups))
            quiet = [(o.ids, o.status, o.reason, o.content) for o in outcomes if o.quiet]
            sent = [(o.ids, o.reason.code if o.reason else None) for o in outcomes if o.committed]
            await asyncio.to_thread(sending.close_scan, self.engine, token, now, quiet, sent)
            await self._postpone(token, [o for o in outcomes if o.status == "held"])
            self._outbox_due.set()
        return len(groups)

    @staticmethod
    def _tell_breaker(breaker: CircuitBreaker | None, outcome: Outcome) -> None:
        if breaker is None:
            return
        if outcome.channel_down:
            breaker.failed(datetime.now(UTC))
        elif outcome.committed or outcome.status == "failed":  # the relay answered
            breaker.succeeded()
        elif breaker.probing:  # the probe sent nothing (a skip): let another one try
            breaker.probing = False

    async def _postpone(self, token: str, held: list[Outcome]) -> None:
        """Messages held back by an open breaker come back when it lets a probe through."""
        if not held:
            return
        now = datetime.now(UTC)
        due = self.breakers["email"].retry_at(now)
        await asyncio.to_thread(sending.postpone, self.engine, token, now,
                                [(o.ids, due) for o in held])  # fmt: skip

    def _without_erased(self, groups: list[Group]) -> list[Group]:
        """Claimed messages whose rows were read just before an erasure was recorded
        must not name the erased member either (one lookup per scan)."""
        named = {p for g in groups for r in g.rows for p in people_named(r.payload, "")}
        erasures = erasure_repository.erasures(self.engine, named)
        return [group_without_erased(g, erasures) for g in groups] if erasures else groups

    async def _refresh_labels(self) -> None:
        """Labels are TTL-cached; a catalogue that cannot be read must not stop the sends
        (its labels stay as they were, unknown codes are shown humanised)."""
        try:
            await self.labels.refresh()
        except Exception:
            log.exception("skill catalogue not refreshed; sending with the labels known")

    async def _contacts(self, groups: list[Group]) -> dict[str, Contact | Exception | None]:
        wanted: set[str] = set()
        for g in groups:
            wanted.add(g.member_id)
            for row in g.rows:
                wanted.update(people_named(row.payload, g.member_id))
        try:
            found = await self.profiles.get_many(sorted(wanted))
        except Exception as exc:  # every message of the scan waits for profiles
            return dict.fromkeys(wanted, exc)
        return {m: found.get(m) for m in wanted}

    async def publish_outbox(self) -> int:
        return await publish_outbox(self.engine, self.publish, self.dead_letter)
