"""Read back every event the broker holds, to recompute the network's health from them
(what the dashboard must equal)."""

from __future__ import annotations

from typing import Any

import nats
from nats.js.api import DeliverPolicy
from pydantic import TypeAdapter, ValidationError

from services.matcher.api.schemas_health import FRESHNESS
from shared import subjects
from shared.events import Event, match_event_adapter, member_event_adapter
from shared.life_events import life_event_adapter

STREAMS: tuple[tuple[str, str, TypeAdapter[Any]], ...] = (
    (subjects.STREAM_MEMBERS, subjects.MEMBERS_ALL, member_event_adapter),
    (subjects.STREAM_MATCHES, subjects.MATCHES_ALL, match_event_adapter),
    (subjects.STREAM_LIFE, subjects.LIFE_ALL, life_event_adapter),
)


async def events_in_broker(url: str) -> list[Event]:
    """Every member, match and life event stored in the streams, in stream order per
    stream (an event that does not parse is left out, as the consumers dead-letter it)."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    found: list[Event] = []
    try:
        for stream, subject, adapter in STREAMS:
            stored = (await js.stream_info(stream)).state.messages
            if not stored:
                continue
            sub = await js.subscribe(
                subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
            )
            for _ in range(stored):
                msg = await sub.next_msg(timeout=10)
                try:
                    found.append(adapter.validate_json(msg.data))
                except ValidationError:
                    continue
            await sub.unsubscribe()
    finally:
        await nc.close()
    return found


def figures(body: dict[str, Any]) -> dict[str, Any] | None:
    """A health answer's figures (without ``as_of``/``refreshing``), or None while it is
    a kept report and a newer one is being computed (wait for the one with every fact)."""
    if body.get("refreshing"):
        return None
    return {k: v for k, v in body.items() if k not in FRESHNESS}
