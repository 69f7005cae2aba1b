"""Delivering one message: decide, render, send with the commit point, record the outcome.

Runs in a worker thread of the dispatcher (:mod:`services.notifier.service_layer.dispatcher`),
with the adapters injected: the channels (``senders``), the store and the skill labels.
The channel commits the delivery as sent at the last moment before it becomes
irrevocable (for SMTP, before the ``CRLF . CRLF`` terminator, see
:mod:`services.notifier.adapters.handshake`), so a crash can lose at most a message
whose commit had returned, never send one twice. Reasons are stored as codes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine

from services.notifier.adapters import handshake, sending
from services.notifier.adapters.rendering import Section, render
from services.notifier.domain.deliveries import RESUMED, Group
from services.notifier.domain.errors import AddressRefused, ChannelError, ProfilesUnavailable
from services.notifier.domain.model import Contact, Reason, Rendered
from services.notifier.domain.policy import (
    RETRY_CAP_S,
    RETRY_HORIZON_S,
    decide,
    gives_up,
    retry_delay,
)
from services.notifier.domain.recipients import people_named
from shared import correlation
from shared.vocabulary.explain import Labeler

log = logging.getLogger("entraide.notifier.dispatcher")


class Sender(Protocol):
    def send(self, contact: Contact, message: Rendered, message_key: str) -> None: ...


class LeaseLost(Exception):
    """Another dispatcher took this message over (our lease expired): leave it alone."""


@dataclass
class Outcome:
    status: str
    reason: Reason | None = None
    #: Nothing left the process (a skip, an in-app entry): the scan records it in bulk.
    quiet: bool = False
    ids: tuple[str, ...] = ()
    content: dict[str, Any] | None = None
    #: Recorded as sent at the commit point: the scan releases its lease in bulk.
    committed: bool = False
    #: The channel itself failed (relay unreachable, timeout): its breaker counts it.
    channel_down: bool = False


@dataclass
class Delivery:
    """Delivers the messages of a scan, one per call of :meth:`deliver`."""

    engine: Engine
    senders: dict[str, Sender | None]
    label: Labeler
    max_attempts: int
    retry_base_s: float
    #: Public address of the portal: the links to answer a match point there.
    portal_url: str = ""
    retry_cap_s: float = RETRY_CAP_S
    retry_horizon_s: float = RETRY_HORIZON_S

    def deliver(
        self, group: Group, contacts: dict[str, Contact | Exception | None], token: str
    ) -> Outcome:
        """Decide, render, send and record one message (runs in a worker thread), with
        the correlation id of the event that asked for it: its log lines and its
        e-mail carry it."""
        with correlation.bound(group.correlation_id):
            return self._deliver(group, contacts, token)

    def _deliver(
        self, group: Group, contacts: dict[str, Contact | Exception | None], token: str
    ) -> Outcome:
        ids = [r.id for r in group.rows]
        now = datetime.now(UTC)
        try:
            outcome, content = self._attempt(group, contacts, now, token)
            if outcome.quiet or outcome.committed:
                outcome.ids, outcome.content = tuple(ids), content
                return outcome
        except LeaseLost:
            log.warning("lease of %s lost before sending; another worker has it", group.key)
            return Outcome("claimed")
        except ProfilesUnavailable as exc:
            later = now + timedelta(seconds=min(60.0, 4 * self.retry_base_s))
            reason = Reason(exc.code, exc.params)
            sending.finish(self.engine, ids, token, now, status="pending", reason=reason,
                           retry_at=later)  # fmt: skip
            return Outcome("pending", reason)
        except ChannelError as exc:
            outcome, content = self._failure(group, exc), None
        except Exception as exc:  # a bug must not wedge the message: retry, then dead-letter
            log.exception("unexpected error delivering %s", group.key)
            error = ChannelError("unexpected_error", detail=repr(exc))
            outcome, content = self._failure(group, error), None
        retry_at: datetime | None = None
        if outcome.status == "pending":
            delay = retry_delay(group.attempts + 1, self.retry_base_s, self.retry_cap_s)
            retry_at = now + timedelta(seconds=delay)
        sending.finish(self.engine, ids, token, datetime.now(UTC), status=outcome.status,
                       reason=outcome.reason, retry_at=retry_at, content=content,
                       count_attempt=outcome.status in {"pending", "failed"})  # fmt: skip
        return outcome

    def _attempt(
        self,
        group: Group,
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
                raise ProfilesUnavailable(detail=repr(found))
        me = contacts.get(group.member_id)
        if not isinstance(me, Contact):
            return Outcome("skipped", Reason("member_erased"), quiet=True), None
        decision = decide(me, group.channel, now.date(), group.already_told)  # type: ignore[arg-type]
        if not decision.send:
            return Outcome("skipped", Reason(decision.reason, decision.params), quiet=True), None
        sender = self.senders.get(group.channel)
        if group.channel != "inapp" and sender is None:
            reason = Reason("channel_not_configured", {"channel": group.channel})
            return Outcome("skipped", reason, quiet=True), None
        sections = [Section(r.payload, r.role) for r in group.rows]
        message = render(sections, me, contacts, now, self.label, self.portal_url)  # type: ignore[arg-type]
        content = {"subject": message.subject, "body": message.body, "language": me.language}
        if sender is None:  # the in-app inbox: storing the rendered entry is the delivery
            return Outcome("sent", quiet=True), content
        ids = [r.id for r in group.rows]
        if not sending.start_sending(self.engine, ids, token, now):
            raise LeaseLost(group.key)
        resumed = Reason(RESUMED) if any(r.resumed for r in group.rows) else None
        self._send(sender, me, message, group, token, content, resumed)
        return Outcome("sent", resumed, committed=True), content

    def _send(self, sender: Sender, me: Contact, message: Rendered, group: Group,
              token: str, content: dict[str, Any], reason: Reason | None) -> None:  # fmt: skip
        """Send with a handshake; returns once the delivery is committed as sent."""
        ids = [r.id for r in group.rows]

        def commit() -> None:
            if not sending.mark_sent(self.engine, ids, token, datetime.now(UTC), content, reason):
                raise LeaseLost(group.key)

        def undo(reply: str) -> None:
            sending.unmark_sent(self.engine, ids, token, datetime.now(UTC))

        hs = handshake.Handshake(commit, undo)
        try:
            with handshake.active(hs):
                sender.send(me, message, group.key)
        except ChannelError as exc:
            if isinstance(hs.error, LeaseLost):
                raise hs.error from exc
            if hs.error is not None:
                raise ChannelError("commit_failed", detail=repr(hs.error)) from exc
            if hs.committed:  # terminator written, reply lost: kept as sent (at most once)
                log.warning("%s: %s", group.key, hs.uncertain_reason)
                return
            if hs.refusal is not None:
                raise ChannelError("smtp_refused", detail=hs.refusal) from exc
            raise
        if not hs.committed:  # chat (HTTP has no commit point): after the 2xx reply
            hs.commit()

    def _failure(self, group: Group, exc: ChannelError) -> Outcome:
        attempts = group.attempts + 1  # the rows were read before start_sending counted it
        if isinstance(exc, AddressRefused):  # nothing was sent: the refusal is the reason
            return Outcome("failed", Reason(exc.code, {k: str(v) for k, v in exc.params.items()}))
        cause = {**exc.params, "cause": exc.code}
        now = datetime.now(UTC)
        stop = gives_up(attempts, group.recorded_at, now, self.max_attempts, self.retry_horizon_s)
        if exc.transient and not stop:
            if self.max_attempts:
                params = {**cause, "attempt": attempts, "max_attempts": self.max_attempts}
                return Outcome("pending", Reason("retrying", params), channel_down=True)
            until = (group.recorded_at or now) + timedelta(seconds=self.retry_horizon_s)
            params = {**cause, "attempt": attempts, "until": until.isoformat(timespec="minutes")}
            return Outcome("pending", Reason("retrying_until", params), channel_down=True)
        reason = Reason("gave_up", {**cause, "attempts": attempts})
        return Outcome("failed", reason, channel_down=exc.transient)
