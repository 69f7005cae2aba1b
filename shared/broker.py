"""Broker wiring shared by the services: streams, broker factory, reliable consumers.

* Streams are file-backed, keep a de-duplication window of at least two minutes (so a
  re-published outbox row with the same ``Nats-Msg-Id`` is dropped by the server) and a
  ``MaxAge``; :func:`ensure_streams` creates or updates them idempotently at start-up.
* :func:`make_broker` builds a FastStream ``NatsBroker`` that reconnects forever and
  whose consumers dead-letter poison messages and NACK transient faults with backoff,
  with each message's correlation id bound while it is handled
  (:func:`correlation_middleware`), and traced when tracing is on
  (:mod:`shared.tracing`).
* :func:`durable_subscriber` is the only way services subscribe: a durable pull
  consumer (shared by replicas) with an explicit ack policy that redelivers on error,
  and a short ``ack_wait`` (:data:`ACK_WAIT_S`): the messages a killed replica had
  fetched go to the other one within seconds; a handler that runs longer keeps its
  messages with in-progress acks (:func:`keep_alive`).
  FastStream's NATS default, ``REJECT_ON_ERROR``, would terminate a message on its
  first exception; we never use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Annotated, Any, cast

from faststream import AckPolicy, Context
from faststream._internal.middlewares import BaseMiddleware
from faststream.exceptions import AckMessage, HandlerException, NackMessage
from faststream.message import StreamMessage
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.security import SASLPlaintext
from nats.errors import NoRespondersError, NoServersError
from nats.errors import TimeoutError as NatsTimeout
from nats.js.api import ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.client import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError, ServiceUnavailableError
from pydantic import TypeAdapter, ValidationError

from shared import correlation, nats_access, subjects, tracing
from shared.patches import nats_fetch
from shared.settings import Settings
from shared.storage import is_storage_fault

log = logging.getLogger("entraide.broker")

#: Deliveries of one message before a transient fault is treated as poison.
MAX_DELIVERIES = 12
#: NACK delay after the n-th failed delivery: 0.5 s, 1 s, 2 s, ... capped at 60 s.
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 60.0
#: How long JetStream waits for an ack before redelivering a message (to any replica).
#: It was 60 s: a replica killed with a fetched batch held it for a minute (the ~60 s
#: recovery tail of docs/RELIABILITY.md). A handler busy for longer than this sends
#: in-progress acks every third of it (:func:`keep_alive`), so it is never redelivered
#: while it works; consumers are idempotent anyway (event ids recorded with the effect).
ACK_WAIT_S = 10.0


class PoisonMessage(Exception):
    """Raised by a handler for a message that can never be processed (bad data)."""


# FastStream's pull consumers must see nats' own TimeoutError (see the module).
nats_fetch.apply()


def stream_configs(settings: Settings, names: tuple[str, ...] = ()) -> list[StreamConfig]:
    """The JetStream streams Entraide needs (those in ``names``, or all), from settings."""
    return [
        StreamConfig(
            name=name,
            subjects=list(subs),
            storage=StorageType.FILE,
            max_age=settings.stream_max_age_days * 86_400,
            duplicate_window=settings.stream_duplicate_window_s,
            num_replicas=settings.stream_replicas,
        )
        for name, subs in subjects.STREAM_SUBJECTS.items()
        if not names or name in names
    ]


#: How long a service starting waits for JetStream to answer: a cluster just started or
#: electing its leaders answers nothing (or 503) for a few seconds, and a service must
#: not die of it (seen starting two replicas beside a 3-node cluster on a busy machine).
STREAMS_WAIT_S = 60.0
_NOT_ANSWERING = (NatsTimeout, NoRespondersError, ServiceUnavailableError)


async def ensure_streams(
    js: JetStreamContext, settings: Settings, names: tuple[str, ...] = ()
) -> None:
    """Create the streams (``names``, or all), or update them when their configuration
    changed. Idempotent. A service's NATS user may only touch its own streams.

    While JetStream does not answer, tries again (0.5 s, doubling up to 5 s between
    tries) for :data:`STREAMS_WAIT_S` seconds, then raises its last error."""
    deadline = time.monotonic() + STREAMS_WAIT_S
    delay = 0.5
    while True:
        try:
            return await _ensure_streams(js, settings, names)
        except _NOT_ANSWERING as exc:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("JetStream is not answering yet (%r): trying again in %.1f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def _ensure_streams(js: JetStreamContext, settings: Settings, names: tuple[str, ...]) -> None:
    for config in stream_configs(settings, names):
        try:
            info = await js.stream_info(config.name)  # type: ignore[arg-type]
        except NotFoundError:
            await js.add_stream(config)
            log.info("created stream %s", config.name)
            continue
        current = info.config
        if (
            current.subjects != config.subjects
            or current.max_age != config.max_age
            or current.duplicate_window != config.duplicate_window
        ):
            try:
                await js.update_stream(config)
                log.info("updated stream %s", config.name)
            except BadRequestError as exc:  # e.g. storage type cannot change
                log.warning("stream %s kept its configuration: %s", config.name, exc)


def backoff_delay(num_delivered: int) -> float:
    """NACK delay (seconds) after ``num_delivered`` failed deliveries."""
    return float(min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** max(0, num_delivered - 1)))


def _deliveries(msg: StreamMessage[Any]) -> int:
    """How many times this message (or, for a batch, its most retried one) was delivered."""
    raws = msg.raw_message if isinstance(msg.raw_message, list) else [msg.raw_message]
    counts = [getattr(getattr(r, "metadata", None), "num_delivered", 1) or 1 for r in raws]
    return int(max(counts, default=1))


async def publish_dead_letter(
    js: JetStreamContext, service: str, body: bytes, reason: str, original_subject: str = ""
) -> None:
    """Park ``body`` on ``entraide.dlq.<service>`` with the reason in headers, and log it."""
    log.error("%s: dead-lettered message from %s: %s", service, original_subject, reason)
    headers = {
        "Entraide-Reason": reason[:1000].replace("\n", " "),
        "Entraide-Original-Subject": original_subject,
    }
    headers = correlation.headers_with(headers, correlation.current())
    await js.publish(subjects.dead_letter_subject(service), body, headers=headers)


async def keep_alive(msg: StreamMessage[Any], every: float) -> None:
    """Tell JetStream every ``every`` seconds that ``msg`` (or each of a batch) is still
    being worked on, until cancelled: a slow handler keeps its messages past ``ack_wait``."""
    raws = msg.raw_message if isinstance(msg.raw_message, list) else [msg.raw_message]
    while True:
        await asyncio.sleep(every)
        for raw in raws:
            try:
                await raw.in_progress()
            except Exception as exc:  # disconnected: the redelivery will do
                log.debug("in-progress ack not sent: %r", exc)


def dead_letter_middleware(service: str, get_broker: Callable[[], NatsBroker]) -> type:
    """Middleware: poison messages go to ``entraide.dlq.<service>``; other errors NACK later.

    * ``ValidationError`` (a message that does not match its contract) and
      :class:`PoisonMessage` are published with the reason to the dead-letter subject,
      logged, and acknowledged so they stop blocking the consumer;
    * a storage fault (:func:`shared.storage.is_storage_fault`: disk full or read-only)
      is NACKed with the same delays for as long as it lasts, never dead-lettered: the
      message is acknowledged only once its effect is committed;
    * any other exception is a transient fault: the message is NACKed with an
      exponential delay, and dead-lettered after :data:`MAX_DELIVERIES` attempts.

    While the handler runs, :func:`keep_alive` sends in-progress acks.
    """

    class DeadLetter(BaseMiddleware):  # type: ignore[type-arg]
        async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
            beat = asyncio.create_task(keep_alive(msg, ACK_WAIT_S / 3))
            try:
                return await self._handled(call_next, msg)
            finally:
                beat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beat

        async def _handled(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
            try:
                return await call_next(msg)
            except HandlerException:
                raise
            except (ValidationError, PoisonMessage) as exc:
                await self._dead_letter(msg, f"{type(exc).__name__}: {exc}")
                raise AckMessage() from exc
            except Exception as exc:
                n = _deliveries(msg)
                if is_storage_fault(exc):  # the disk is full or read-only: wait for it
                    log.error("%s: storage fault (delivery %d), retrying: %r", service, n, exc)
                    raise NackMessage(delay=backoff_delay(n)) from exc
                if n >= MAX_DELIVERIES:
                    await self._dead_letter(msg, f"gave up after {n} deliveries: {exc!r}")
                    raise AckMessage() from exc
                log.warning("%s: transient failure (delivery %d), retrying: %r", service, n, exc)
                raise NackMessage(delay=backoff_delay(n)) from exc

        async def _dead_letter(self, msg: StreamMessage[Any], reason: str) -> None:
            """Each message (each of a batch, with its own subject) to the dead letters."""
            js = get_broker().connection.jetstream()
            raws = msg.raw_message if isinstance(msg.raw_message, list) else [msg.raw_message]
            for raw in raws:
                original = getattr(raw, "subject", "")
                await publish_dead_letter(js, service, bytes(raw.data), reason, original)

    return DeadLetter


def message_correlation(msg: StreamMessage[Any]) -> str | None:
    """The correlation id a message carries; for a batch, the one all its messages share
    (handlers that record each message's own read :func:`batch_correlations`)."""
    if isinstance(msg.raw_message, list):
        return correlation.common(correlation.of_headers(h) for h in msg.batch_headers)
    return correlation.of_headers(msg.headers)


#: A handler's parameter for the message itself (a batch's carries each one's headers).
BatchMessage = Annotated[StreamMessage[Any], Context("message")]


def batch_correlations(msg: StreamMessage[Any]) -> list[str | None]:
    """The correlation id of each message of a batch, in the order of its body."""
    return [correlation.of_headers(h) for h in msg.batch_headers]


class CorrelationMiddleware(BaseMiddleware):  # type: ignore[type-arg]
    """Binds the message's correlation id while it is handled: the handler's log lines,
    the events it writes to its outbox and the dead letters carry it. A single message
    without one gets a new id (its consequences are then correlated); a batch of
    messages with different ids binds none."""

    async def consume_scope(self, call_next: Any, msg: StreamMessage[Any]) -> Any:
        found = message_correlation(msg)
        if found is None and not isinstance(msg.raw_message, list):
            found = correlation.new_id()
        tracing.annotate(found)
        with correlation.bound(found):
            return await call_next(msg)


def credentials(settings: Settings, user: str) -> dict[str, Any]:
    """nats-py connection options for ``user``: its password and its own inbox prefix.

    Without a password the URL's own credentials (if any) are used; in production a
    service must have its password (the broker is closed to anonymous clients).
    """
    options: dict[str, Any] = {"inbox_prefix": nats_access.inbox_prefix(user)}
    password = settings.nats_password(user)
    if password:
        options["security"] = SASLPlaintext(username=user, password=password)
    elif settings.env == "production":
        raise RuntimeError(f"ENTRAIDE_{user.upper()}_NATS_PASSWORD must be set in production")
    return options


def make_broker(settings: Settings, service: str, middlewares: Sequence[Any] = ()) -> NatsBroker:
    """A ``NatsBroker`` for ``service`` that reconnects forever and dead-letters poison.

    It connects as the service's own NATS user (:mod:`shared.nats_access`).
    ``middlewares`` wrap the dead-letter one (the first is the outermost): a metrics
    middleware there sees the final outcome (acked, nacked) of every message.
    """
    holder: dict[str, NatsBroker] = {}
    broker = NatsBroker(
        [url.strip() for url in settings.broker_url.split(",")],  # a cluster: several URLs
        name=f"entraide-{service}",
        **credentials(settings, service),
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        connect_timeout=5,
        # the first is the outermost: the dead-letter middleware's log lines carry the id
        middlewares=[
            *tracing.broker_middlewares(settings, service),
            cast(Any, CorrelationMiddleware),
            *middlewares,
            cast(Any, dead_letter_middleware(service, lambda: holder["broker"])),
        ],
        graceful_timeout=10.0,
    )
    holder["broker"] = broker
    return broker


async def start_broker(
    broker: NatsBroker, settings: Settings, access: nats_access.Access | None = None
) -> None:
    """Connect, make sure the service's streams (else all) exist, start the subscribers."""
    try:
        await broker.connect()
    except (NoServersError, OSError) as exc:
        raise RuntimeError(f"cannot reach NATS at {settings.broker_url}: {exc}") from exc
    names = nats_access.streams_of(access) if access is not None else ()
    await ensure_streams(broker.connection.jetstream(), settings, names)
    await broker.start()


async def raw_bodies(msg: StreamMessage[Any]) -> list[bytes]:
    """Decoder of a batch subscriber: the messages' bodies as received, not parsed.

    FastStream's own batch decoder wraps every message in a ``StreamMessage`` (with a
    random correlation id) and ``json.loads`` it, and an unparsable one fails the whole
    batch; a handler given the raw bodies validates each one once, from its bytes
    (:class:`EventBatch`), and dead-letters a bad one alone.
    """
    return list(msg.body)


#: Bodies validated per call of :meth:`EventBatch.validate`.
VALIDATION_CHUNK = 32


class EventBatch:
    """Validates the raw bodies of a batch against one event type (a discriminated union).

    The bodies are validated :data:`VALIDATION_CHUNK` at a time, each chunk in one call as
    the JSON array of its bodies (pydantic pays its per-call cost once per chunk), and
    each event can be reduced at once to what the handler keeps (``keep``). Why chunks
    and ``keep`` (issue 14, ``bench/bench_projection.py``): a member event is about 16
    objects the garbage collector tracks (the models, their ``__dict__`` and fields set,
    the nested models, the tuples); a thousand kept alive through a whole batch survive
    the young collections, are promoted, and set off full collections of the process's
    heap inside the validation (measured in the matcher, 20,000 events: 47 µs of CPU per
    event in ``validate_json``, collections 54 µs per event of wall time at load 4.8).
    Validated a chunk at a time and reduced to one small record each, the models die
    young and cheaply. An array of a thousand bodies is also slower per event than
    arrays of a few dozen, even with the collector off (the parsed JSON of the whole
    batch no longer fits the processor's caches).

    If a chunk is not valid, or does not give one event per body, its bodies are
    validated one by one and each invalid one (bad JSON, or not its contract) is
    dead-lettered alone with the reason.

    >>> from shared.events import AnyMemberEvent
    >>> members = EventBatch(AnyMemberEvent, "member")
    >>> members.at_once([b'{"type": "member.erased", "producer": "p", "member_id": "m1", '
    ...                  b'"version": 2}'])[0].member_id
    'm1'
    >>> members.at_once([b'{"type": "member.erased"}']) is None  # then one by one
    True
    """

    def __init__(self, event_type: Any, what: str, chunk: int = VALIDATION_CHUNK) -> None:
        self.one: TypeAdapter[Any] = TypeAdapter(event_type)
        self.many: TypeAdapter[list[Any]] = TypeAdapter(list[event_type])  # type: ignore[valid-type]
        self.what = what
        self.chunk = chunk

    def at_once(self, bodies: list[bytes]) -> list[Any] | None:
        """Every body's event, in order, or ``None`` when some body is not valid alone."""
        try:
            events = self.many.validate_json(b"[" + b",".join(bodies) + b"]")
        except ValidationError:
            return None
        return events if len(events) == len(bodies) else None

    async def validate(
        self,
        js: JetStreamContext,
        service: str,
        bodies: list[bytes],
        keep: Callable[[Any], Any] | None = None,
    ) -> list[Any]:
        """The valid events among ``bodies`` (each passed through ``keep`` when given), in
        order; the others are dead-lettered."""
        found: list[Any] = []
        for start in range(0, len(bodies), self.chunk):
            part = bodies[start : start + self.chunk]
            events = self.at_once(part)
            if events is None:
                events = await self._one_by_one(js, service, part)
            found.extend(events if keep is None else map(keep, events))
        return found

    async def _one_by_one(
        self, js: JetStreamContext, service: str, bodies: list[bytes]
    ) -> list[Any]:
        found: list[Any] = []
        for raw in bodies:
            try:
                found.append(self.one.validate_json(raw))
            except ValidationError as exc:
                reason = f"invalid {self.what} event: {exc}"
                await publish_dead_letter(js, service, raw, reason)
        return found


def durable_subscriber(
    registrar: Any,
    subject: str,
    *,
    stream: str,
    durable: str,
    service: str,
    batch_size: int = 0,
    **kwargs: Any,
) -> Any:
    """Decorator: a durable pull consumer with NACK_ON_ERROR, shared by all replicas.

    ``service`` is the consumer's owner: the fetch replies come to its NATS user's inbox.

    ``batch_size > 0`` hands the handler a list of messages at a time (bulk projections);
    pass ``decoder=raw_bodies`` to receive their bodies as bytes (see :func:`raw_bodies`).
    """
    pull = (
        PullSub(batch_size=batch_size, timeout=0.2, batch=True)
        if batch_size
        else PullSub(batch_size=32, timeout=1.0)
    )
    return registrar.subscriber(
        subject,
        stream=JStream(stream, declare=False),
        durable=durable,
        pull_sub=pull,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        config=ConsumerConfig(ack_wait=ACK_WAIT_S, max_ack_pending=20_000),
        inbox_prefix=f"{nats_access.inbox_prefix(service)}.".encode(),
        deliver_policy=DeliverPolicy.ALL,
        **kwargs,
    )
