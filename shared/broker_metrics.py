"""Broker gauges of a service, read from JetStream at scrape time: consumer lag, dead letters.

Both are one JetStream API request each (``CONSUMER.INFO`` per durable consumer, one
``STREAM.INFO`` of the dead-letter stream filtered on the service's subject), calls the
service's own NATS user is already allowed (:mod:`shared.nats_access`); nothing is read
from the messages themselves.
"""

from __future__ import annotations

import asyncio

from faststream.nats import NatsBroker
from faststream.nats.prometheus import NatsPrometheusMiddleware
from nats.js.client import JetStreamContext

from shared import subjects
from shared.metrics import Metrics
from shared.nats_access import Access

#: Seconds a JetStream info request may take before the probe reports a failure.
INFO_TIMEOUT_S = 2.0


def faststream_middleware(metrics: Metrics) -> NatsPrometheusMiddleware:
    """FastStream's Prometheus middleware on the service's registry (``faststream_*``:
    messages received, processed by status, durations, exceptions, published).
    Its ``handler`` label is the subject, a constant of :mod:`shared.subjects`."""
    return NatsPrometheusMiddleware(registry=metrics.registry, app_name=metrics.service)


def consumer_lag(info_pending: int | None, info_ack_pending: int | None) -> int:
    """Messages a durable consumer still has to finish: not yet delivered plus delivered
    and not acknowledged.

    >>> consumer_lag(3, 2)
    5
    >>> consumer_lag(None, None)
    0
    """
    return (info_pending or 0) + (info_ack_pending or 0)


def watch_broker(metrics: Metrics, broker: NatsBroker, service: str, access: Access | None) -> None:
    """Add the lag of each of the service's durable consumers and its dead-letter count."""

    def js() -> JetStreamContext:
        return broker.connection.jetstream()

    lag = metrics.gauge(
        "entraide_consumer_lag_messages",
        "Messages a durable consumer has not finished (JetStream num_pending + num_ack_pending).",
        ("stream", "consumer"),
    )
    consumers = access.consumes if access is not None else ()

    async def read_lag() -> None:
        infos = await asyncio.gather(
            *(js().consumer_info(s, d, timeout=INFO_TIMEOUT_S) for s, d in consumers)
        )
        for (stream, durable), info in zip(consumers, infos, strict=True):
            lag.labels(stream, durable).set(consumer_lag(info.num_pending, info.num_ack_pending))

    if consumers:
        metrics.add_probe("consumer_lag", read_lag)

    dead = metrics.gauge(
        "entraide_dead_letters",
        "Messages this service parked in the dead-letter stream and nobody replayed yet.",
    )
    subject = subjects.dead_letter_subject(service)

    async def read_dead_letters() -> None:
        dead.set(await dead_letter_count(js(), subject))

    metrics.add_probe("dead_letters", read_dead_letters)


async def dead_letter_count(js: JetStreamContext, subject: str) -> int:
    """How many messages of ``subject`` the dead-letter stream holds."""
    info = await asyncio.wait_for(
        js.stream_info(subjects.STREAM_DLQ, subjects_filter=subject), INFO_TIMEOUT_S
    )
    return int((info.state.subjects or {}).get(subject, 0))
