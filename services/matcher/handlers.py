"""Event handlers of the matcher: thin adapters from JetStream to the service layer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from faststream.nats import NatsBroker
from pydantic import ValidationError
from sqlalchemy import Engine

from services.matcher import SERVICE
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain import parameters
from services.matcher.domain.errors import AdjustmentRejected, ConflictingRequest
from services.matcher.service_layer import health, repairs, rounds
from services.matcher.service_layer.projection import ApplyStats, MemberChange, apply_changes
from shared import subjects
from shared.broker import EventBatch, PoisonMessage, durable_subscriber, raw_bodies
from shared.events import AnyMatchEvent, AnyMemberEvent, RoundRequested
from shared.life_events import AnyLifeEvent, MatchDeclined, MatchUnanswered

log = logging.getLogger("entraide.matcher.handlers")
MEMBER_BATCH = 1000
HEALTH_BATCH = 500
MEMBER_EVENTS = EventBatch(AnyMemberEvent, "member")
MATCH_EVENTS = EventBatch(AnyMatchEvent, "match")
LIFE_EVENTS = EventBatch(AnyLifeEvent, "life")


def apply_batch(engine: Engine, batch: list[MemberChange]) -> ApplyStats:
    uow = UnitOfWork(engine)
    stats = apply_changes(uow, batch)
    if stats.applied:  # the health reports count members: they are due again
        health.projection_changed(uow)
    return stats


def register_health_handlers(broker: NatsBroker, get_engine: Callable[[], Engine]) -> None:
    """Published matches and the life of matches feed the health projection."""

    async def record(body: list[bytes], events: EventBatch) -> None:
        batch = await events.validate(broker.connection.jetstream(), SERVICE, body)
        if batch:
            await asyncio.to_thread(health.record_events, UnitOfWork(get_engine()), batch)

    @durable_subscriber(
        broker,
        subjects.MATCHES_ALL,
        stream=subjects.STREAM_MATCHES,
        durable=subjects.DURABLE_MATCHER_HEALTH_MATCHES,
        service=SERVICE,
        batch_size=HEALTH_BATCH,
        decoder=raw_bodies,
        title=subjects.DURABLE_MATCHER_HEALTH_MATCHES,
        description="Records each published match (match.*) in the health projection.",
    )
    async def on_published_matches(body: list[bytes]) -> None:
        await record(body, MATCH_EVENTS)

    @durable_subscriber(
        broker,
        subjects.LIFE_ALL,
        stream=subjects.STREAM_LIFE,
        durable=subjects.DURABLE_MATCHER_HEALTH_LIFE,
        service=SERVICE,
        batch_size=HEALTH_BATCH,
        decoder=raw_bodies,
        title=subjects.DURABLE_MATCHER_HEALTH_LIFE,
        description="Records the life of matches (answers, check-ins, sessions, feedback, "
        "closing) in the health projection.",
    )
    async def on_life_events(body: list[bytes]) -> None:
        await record(body, LIFE_EVENTS)


def register_departure_handlers(broker: NatsBroker, get_engine: Callable[[], Engine]) -> None:
    """A decline, or no answer by the deadline, is a departure from the round: recorded
    for the coordinator, repaired at once when the round's ``auto_repair`` is on."""

    async def left(event: MatchDeclined | MatchUnanswered) -> None:
        uow = UnitOfWork(get_engine())
        outcome = await asyncio.to_thread(repairs.on_match_left, uow, event)
        if outcome is not None:
            log.info("round %s repaired after %s", event.round_id, event.type)

    @durable_subscriber(
        broker,
        subjects.MATCH_DECLINED,
        stream=subjects.STREAM_LIFE,
        durable=subjects.DURABLE_MATCHER_DEPARTURES_DECLINED,
        service=SERVICE,
        title=subjects.DURABLE_MATCHER_DEPARTURES_DECLINED,
        description="A member declined a match: their departure from the round (repaired at "
        "once with the round's auto_repair policy). Idempotent by event id.",
    )
    async def on_declined(event: MatchDeclined) -> None:
        await left(event)

    @durable_subscriber(
        broker,
        subjects.MATCH_UNANSWERED,
        stream=subjects.STREAM_LIFE,
        durable=subjects.DURABLE_MATCHER_DEPARTURES_UNANSWERED,
        service=SERVICE,
        title=subjects.DURABLE_MATCHER_DEPARTURES_UNANSWERED,
        description="A member did not answer by the deadline: like a decline, a departure "
        "from the round. Idempotent by event id.",
    )
    async def on_unanswered(event: MatchUnanswered) -> None:
        await left(event)


def round_request(event: RoundRequested) -> rounds.RoundRequest:
    """The request an event carries (pydantic ``ValidationError`` if its parameters don't fit)."""
    if not 1 <= len(event.client_request_id) <= 200 or len(event.name) > 200:
        raise PoisonMessage("client_request_id (1-200 characters) or name (200) out of bounds")
    params = parameters.parse(event.kind, event.parameters)
    return rounds.RoundRequest(event.client_request_id, event.kind, event.name, event.scope, params)


def register_handlers(
    broker: NatsBroker, get_engine: Callable[[], Engine], on_round: Callable[[], None]
) -> None:
    """Member events feed the projection; ``round.requested`` creates a round."""

    @durable_subscriber(
        broker,
        subjects.MEMBERS_ALL,
        stream=subjects.STREAM_MEMBERS,
        durable=subjects.DURABLE_MATCHER_MEMBERS,
        service=SERVICE,
        batch_size=MEMBER_BATCH,
        decoder=raw_bodies,
        title=subjects.DURABLE_MATCHER_MEMBERS,
        description="Builds the matcher's member projection from member.* events "
        "(MemberRegistered, MemberProfileUpdated, MemberErased, MemberDeactivated), in "
        "batches; an erasure or a deactivation is a departure from the published rounds "
        "the member is in (repaired at once with the round's auto_repair policy).",
    )
    async def on_member_events(body: list[bytes]) -> None:
        js = broker.connection.jetstream()
        # each event reduced at once to what the projection stores (see EventBatch)
        batch: list[MemberChange] = await MEMBER_EVENTS.validate(js, SERVICE, body, MemberChange.of)
        if batch:
            stats = await asyncio.to_thread(apply_batch, get_engine(), batch)
            log.info("member events: %d applied, %d duplicates, %d stale",
                     stats.applied, stats.duplicates, stats.stale)  # fmt: skip
            for round_id, reason in sorted(stats.departed_rounds.items()):  # erased or left
                uow = UnitOfWork(get_engine())
                await asyncio.to_thread(repairs.repair_if_policy, uow, round_id, reason)

    @durable_subscriber(
        broker,
        subjects.ROUND_REQUESTED,
        stream=subjects.STREAM_ROUNDS,
        durable=subjects.DURABLE_MATCHER_ROUND_REQUESTS,
        service=SERVICE,
        title=subjects.DURABLE_MATCHER_ROUND_REQUESTS,
        description="Creates a round (idempotent by client_request_id).",
    )
    async def on_round_requested(event: RoundRequested) -> None:
        try:
            request = round_request(event)
            uow = UnitOfWork(get_engine())
            await asyncio.to_thread(rounds.create_round, uow, request, event.requested_by)
        except (ValidationError, ConflictingRequest, AdjustmentRejected) as exc:
            raise PoisonMessage(str(exc)) from exc
        on_round()
