"""Composition root of the matcher service: engine, broker, outbox relay, round worker."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Engine

from services.matcher import SERVICE
from services.matcher.api.members import router as members_router
from services.matcher.api.rounds import router as rounds_router
from services.matcher.errors import MatcherError
from services.matcher.handlers import register_handlers
from services.matcher.migrations import MIGRATIONS
from services.matcher.orm import outbox
from services.matcher.worker import RoundWorker
from shared import events
from shared.outbox import OutboxRelay
from shared.settings import Settings, get_settings
from shared.web import create_service_app

PUBLISHED = (
    events.RoundProgressed,
    events.RoundProposed,
    events.RoundPublished,
    events.MentoringPairMatched,
    events.GroupMatched,
    events.RotationMatched,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    wake: list[Callable[[], None]] = []

    def subscribe(broker: NatsBroker, get_engine: Callable[[], Engine]) -> None:
        def on_round() -> None:
            for w in wake:
                w()

        register_handlers(broker, get_engine, on_round)

    async def start(app: FastAPI) -> None:
        js = app.state.broker.connection.jetstream()
        app.state.relay = OutboxRelay(app.state.engine, outbox, js, window=1)  # strict order
        app.state.worker = RoundWorker(app.state.engine, app.state.relay)
        wake.append(app.state.worker.notify)
        app.state.relay.start()
        app.state.worker.start()

    async def stop(app: FastAPI) -> None:
        await app.state.worker.stop()
        await app.state.relay.stop()

    return create_service_app(
        service=SERVICE,
        title="Entraide — matcher",
        description="Projection des membres, campagnes de mise en relation, propositions.",
        settings=settings,
        published=PUBLISHED,
        subscribe=subscribe,
        migrations=MIGRATIONS,
        routers=[members_router, rounds_router],
        on_start=start,
        on_stop=stop,
        error_base=MatcherError,
    )
