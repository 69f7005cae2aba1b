"""The dispatcher: a loop inside the notifier that sends what the consumer recorded.

Each scan leases due messages (:func:`repository.claim`), refreshes the skill labels
(TTL-cached), looks up the contacts in profiles, and hands the messages, one share per
worker thread, to :class:`~services.notifier.service_layer.delivery.Delivery`, which
decides, renders and sends each with the commit point of
:mod:`~services.notifier.adapters.handshake`. The leases of committed messages are
released in bulk at the end of the scan. A task of its own publishes the outbox
(:mod:`~services.notifier.service_layer.outbox`). The adapters are injected by the
composition root (:mod:`services.notifier.main`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
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
        self._breaker_lock = threading.Lock()  # the workers' sends report to the breakers
        self._stopping = asyncio.Event()
        self._outbox_due = asyncio.Event()

    async def run(self, outbox: bool = True) -> None:
        """Scan until stopped; a failing scan is logged and retried, never fatal.

        ``options.lanes`` scans run at once (each claims other messages: the lease), so
        the lookups of one overlap the sends of another instead of waiting for its
        slowest message. The outbox is published by a task of its own, so no scan
        waits for the broker's acknowledgements; a dispatcher of another process
        (``outbox=False``, :func:`services.notifier.main.serve_dispatcher`) leaves it to
        the main one.
        """
        task = asyncio.create_task(self._outbox_loop(), name="notifier-outbox") if outbox else None
        try:
            await asyncio.gather(*(self._lane() for _ in range(self.options.lanes)))
        finally:
            if task is not None:
                self._outbox_due.set()
                await task

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
            await self._refresh_labels()
            # Everyone the scan's messages name, looked up in calls of 500 ids: one HTTP
            # request per person kept the event loop (and the member's /inbox) busy.
            contacts = await self._contacts(groups)
            outcomes = await self._deliver_all(groups, contacts, token)
            quiet = [(o.ids, o.status, o.reason, o.content) for o in outcomes if o.quiet]
            sent = [(o.ids, o.reason.code if o.reason else None) for o in outcomes if o.committed]
            await asyncio.to_thread(sending.close_scan, self.engine, token, now, quiet, sent)
            await self._postpone(token, [o for o in outcomes if o.status == "held"])
            self._outbox_due.set()
        return len(groups)

    async def _deliver_all(
        self, groups: list[Group], contacts: dict[str, Contact | Exception | None], token: str
    ) -> list[Outcome]:
        """The scan's messages in ``workers`` shares, one executor task each: a future,
        a task and a semaphore per message cost the event loop ~15 % of the notifier's
        CPU (py-spy --gil, issue 14). Shares are interleaved (every ``workers``-th
        message), so one slow message delays only its own share's later ones."""
        loop = asyncio.get_running_loop()
        n = self.options.workers
        shares = [groups[i::n] for i in range(n) if groups[i::n]]
        done = await asyncio.gather(
            *(loop.run_in_executor(self.pool, self._deliver_share, s, contacts, token)
              for s in shares)
        )  # fmt: skip
        return [outcome for share in done for outcome in share]

    def _deliver_share(
        self, share: list[Group], contacts: dict[str, Contact | Exception | None], token: str
    ) -> list[Outcome]:
        """One worker's messages, one after the other (runs in the worker thread)."""
        return [self._deliver_one(group, contacts, token) for group in share]

    def _deliver_one(
        self, group: Group, contacts: dict[str, Contact | Exception | None], token: str
    ) -> Outcome:
        """A message is admitted by its breaker only when its worker takes it, so the
        failures of the sends in flight close the door on the ones still waiting."""
        breaker = self.breakers.get(group.channel)
        if breaker is not None:
            with self._breaker_lock:
                if not breaker.admit(datetime.now(UTC)):
                    return Outcome("held", ids=tuple(r.id for r in group.rows))
        outcome = self.delivery.deliver(group, contacts, token)
        with self._breaker_lock:
            self._tell_breaker(breaker, outcome)
        return outcome

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
