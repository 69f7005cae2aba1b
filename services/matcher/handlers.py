"""Event handlers of the matcher: thin adapters from JetStream to the projection."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from faststream.nats import NatsBroker
from pydantic import ValidationError
from sqlalchemy import Engine

from services.matcher.projection import ApplyStats, apply_member_events
from shared import subjects
from shared.broker import durable_subscriber, publish_dead_letter
from shared.events import MemberEvent, member_event_adapter

log = logging.getLogger("entraide.matcher.handlers")
SERVICE = "matcher"
MEMBER_BATCH = 1000


def apply_batch(engine: Engine, batch: list[MemberEvent]) -> ApplyStats:
    with engine.begin() as conn:
        return apply_member_events(conn, batch)


def register_handlers(broker: NatsBroker, get_engine: Any) -> None:
    """Subscribe the projection to member events (durable, batched, NACK on error)."""

    @durable_subscriber(
        broker,
        subjects.MEMBERS_ALL,
        stream=subjects.STREAM_MEMBERS,
        durable="matcher-members",
        batch_size=MEMBER_BATCH,
        title="matcher-members",
        description="Builds the matcher's member projection from member.* events "
        "(MemberRegistered, MemberProfileUpdated, MemberErased), in batches.",
    )
    async def on_member_events(body: list[dict[str, Any]]) -> None:
        batch: list[MemberEvent] = []
        js = broker.connection.jetstream()
        for raw in body:
            try:
                batch.append(member_event_adapter.validate_python(raw))
            except ValidationError as exc:
                await publish_dead_letter(
                    js, SERVICE, json.dumps(raw).encode(), f"invalid member event: {exc}"
                )
        if batch:
            stats = await asyncio.to_thread(apply_batch, get_engine(), batch)
            log.debug("member events: %s", stats)
