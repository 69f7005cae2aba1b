"""Event handlers of the notifier: thin adapters from JetStream to the service."""

from __future__ import annotations

import asyncio
from typing import Any

from faststream.nats import NatsBroker

from services.notifier import service
from shared import subjects
from shared.broker import durable_subscriber
from shared.events import AnyMatchEvent


def register_handlers(broker: NatsBroker, get_engine: Any, settle_s: float) -> None:
    @durable_subscriber(
        broker,
        subjects.MATCHES_ALL,
        stream=subjects.STREAM_MATCHES,
        durable="notifier-matches",
        title="notifier-matches",
        description="Records one delivery per (match, member, channel) for published matches.",
    )
    async def on_match(event: AnyMatchEvent) -> None:
        # Committed before the ack: a crash here means a redelivery, which adds nothing.
        await asyncio.to_thread(service.accept_match, get_engine(), event, settle_s)
