"""Event handlers of the notifier: thin adapters from JetStream to the service."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from faststream.nats import NatsBroker
from pydantic import ValidationError

from services.notifier import SERVICE
from services.notifier.service_layer import erasure, matches
from shared import subjects
from shared.broker import BatchMessage, batch_correlations, durable_subscriber, publish_dead_letter
from shared.events import Event, MatchEvent, MemberErased, match_event_adapter
from shared.life_events import life_event_adapter

#: Match events recorded per transaction (a round arrives as a burst of events).
ACCEPT_BATCH = 50


def register_handlers(
    broker: NatsBroker, get_engine: Any, settle_s: float, get_renderer: Any
) -> None:
    """``get_renderer()`` gives the profiles client and the labels (``.profiles``,
    ``.labels``) once the service has started."""

    @durable_subscriber(
        broker,
        subjects.MATCHES_ALL,
        stream=subjects.STREAM_MATCHES,
        durable=subjects.DURABLE_NOTIFIER_MATCHES,
        service=SERVICE,
        batch_size=ACCEPT_BATCH,
        title=subjects.DURABLE_NOTIFIER_MATCHES,
        description="Records one delivery per (match, member, channel) for published matches, "
        "in batches; an event that does not match its contract is dead-lettered alone.",
    )
    async def on_matches(body: list[Any], message: BatchMessage) -> None:
        events: list[MatchEvent] = []
        ids: list[str | None] = []
        for raw, correlation_id in zip(body, batch_correlations(message), strict=True):
            try:
                events.append(match_event_adapter.validate_python(raw))
                ids.append(correlation_id)
            except ValidationError as exc:
                data = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
                js = broker.connection.jetstream()
                await publish_dead_letter(js, SERVICE, data, f"ValidationError: {exc}",
                                          subjects.MATCHES_ALL)  # fmt: skip
        # Committed before the batch is acked: a crash means a redelivery, which adds nothing.
        if events:
            await asyncio.to_thread(matches.accept_matches, get_engine(), events, settle_s, ids)

    @durable_subscriber(
        broker,
        subjects.LIFE_ALL,
        stream=subjects.STREAM_LIFE,
        durable=subjects.DURABLE_NOTIFIER_LIFE,
        service=SERVICE,
        batch_size=ACCEPT_BATCH,
        title=subjects.DURABLE_NOTIFIER_LIFE,
        description="Records one delivery per (match and notice, member, channel) for the "
        "notices of a match's life (reminders to answer, no answer, check-ins, the closing "
        "survey and its reminders, a facilitator's reminder of a session not recorded); "
        "the other life events tell nobody. A malformed event is dead-lettered alone.",
    )
    async def on_life(body: list[Any], message: BatchMessage) -> None:
        found: list[Event] = []
        ids: list[str | None] = []
        for raw, correlation_id in zip(body, batch_correlations(message), strict=True):
            try:
                found.append(life_event_adapter.validate_python(raw))
                ids.append(correlation_id)
            except ValidationError as exc:
                data = raw if isinstance(raw, bytes) else json.dumps(raw).encode()
                js = broker.connection.jetstream()
                await publish_dead_letter(js, SERVICE, data, f"ValidationError: {exc}",
                                          subjects.LIFE_ALL)  # fmt: skip
        if found:
            await asyncio.to_thread(matches.accept_matches, get_engine(), found, settle_s, ids)

    @durable_subscriber(
        broker,
        subjects.MEMBER_ERASED,
        stream=subjects.STREAM_MEMBERS,
        durable=subjects.DURABLE_NOTIFIER_ERASURES,
        service=SERVICE,
        title=subjects.DURABLE_NOTIFIER_ERASURES,
        description="GDPR: deletes the erased member's deliveries and inbox entries, "
        "rewrites the messages that named them, refuses their tokens issued before.",
    )
    async def on_member_erased(event: MemberErased) -> None:
        renderer = get_renderer()  # not started yet: raises, the event is redelivered
        await erasure.erase_member(get_engine(), event.member_id, event.occurred_at,
                                   renderer.profiles, renderer.labels)  # fmt: skip
