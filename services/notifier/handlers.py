"""Event handlers of the notifier: thin adapters from JetStream to the service."""

from __future__ import annotations

import asyncio
from typing import Any

from faststream.nats import NatsBroker

from services.notifier import service
from shared import subjects
from shared.broker import durable_subscriber
from shared.events import AnyMatchEvent


def register_handlers(broker: NatsBroker, get_engine: Any) -> None:
    @durable_subscriber(
        broker,
        subjects.MATCHES_ALL,
        stream=subjects.STREAM_MATCHES,
        durable="notifier-matches",
        title="notifier-matches",
        description="Announces published matches (pairs, groups, rotations) to each member.",
    )
    async def on_match(event: AnyMatchEvent) -> None:
        await asyncio.to_thread(service.record_inapp, get_engine(), event)
