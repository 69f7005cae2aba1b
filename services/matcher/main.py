"""Composition root of the matcher service: engine, broker, outbox relay, background workers.

The only module that knows the concrete adapters: it builds them from settings in the
lifespan and wires them into the use cases.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Engine

from services.matcher import NATS_ACCESS, SERVICE, db_url
from services.matcher.adapters import metrics
from services.matcher.adapters.health_worker import HealthRefresher
from services.matcher.adapters.orm import outbox
from services.matcher.adapters.timer_worker import TimerWorker
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.adapters.worker import RoundWorker
from services.matcher.api.routes.closing import router as closing_router
from services.matcher.api.routes.health import router as health_router
from services.matcher.api.routes.life import clock_router
from services.matcher.api.routes.life import router as life_router
from services.matcher.api.routes.matches import router as matches_router
from services.matcher.api.routes.members import router as members_router
from services.matcher.api.routes.repairs import router as repairs_router
from services.matcher.api.routes.rounds import router as rounds_router
from services.matcher.domain.timers import AdjustableClock, Clock, SystemClock
from services.matcher.handlers import (
    register_departure_handlers,
    register_handlers,
    register_health_handlers,
)
from services.matcher.service_layer import computation, health_views, life, projection, repairs
from services.matcher.service_layer.health_cache import cache_of
from shared import events, life_events
from shared.auth import mint_token
from shared.catalogue import CatalogueLabels
from shared.outbox import OutboxRelay
from shared.settings import Settings, get_settings
from shared.web import create_service_app

MIGRATIONS = Path(__file__).parent / "migrations"
PUBLISHED = (
    events.RoundProgressed,
    events.RoundProposed,
    events.RoundPublished,
    events.MentoringPairMatched,
    events.GroupMatched,
    events.RotationMatched,
    life_events.MatchAccepted,
    life_events.MatchDeclined,
    life_events.MatchResponseReminded,
    life_events.MatchUnanswered,
    life_events.MatchCheckinRequested,
    life_events.MatchCheckinAnswered,
    events.MatchSuperseded,  # issue 12: a repair ended a match
    life_events.RoundRepaired,
    life_events.MatchClosed,  # reasons: repaired, completed, coordinator
    life_events.GroupSessionRecorded,
    life_events.GroupSessionReminded,
    life_events.MatchFeedbackRequested,
    life_events.MatchFeedbackGiven,
)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    """The matcher; ``clock`` is for tests (default: from ``settings.matcher_clock``)."""
    settings = settings or get_settings()
    if clock is None:
        clock = AdjustableClock() if settings.matcher_clock == "adjustable" else SystemClock()
    wake: list[Callable[[], None]] = []

    def subscribe(broker: NatsBroker, get_engine: Callable[[], Engine]) -> None:
        def on_round() -> None:
            for w in wake:
                w()

        register_handlers(broker, get_engine, on_round)
        register_health_handlers(broker, get_engine)
        register_departure_handlers(broker, get_engine)

    async def start(app: FastAPI) -> None:
        js = app.state.broker.connection.jetstream()
        uow = UnitOfWork(app.state.engine)
        app.state.erased_subjects = lambda subject, issued_at: projection.erased_since(
            uow, subject, issued_at
        )
        app.state.relay = OutboxRelay(app.state.engine, outbox, js, window=1)  # strict order
        lease = timedelta(seconds=settings.round_lease_s)
        metrics.watch(app.state.metrics, app.state.engine)
        app.state.worker = RoundWorker(
            lambda: computation.claim_next(uow, lease),
            metrics.timed(
                lambda round_id, notify: computation.run_round(
                    uow, round_id, notify=notify, lease=lease
                ),
                metrics.round_durations(app.state.metrics),
            ),
            app.state.relay,
        )
        app.state.labels = CatalogueLabels(
            settings.profiles_base_url,
            lambda ttl: mint_token(settings, SERVICE, ("service",), ttl_s=ttl),
        )
        app.state.timers = TimerWorker(
            lambda: life.fire_due(uow, clock.now()) + repairs.resume_repairs(uow),
            app.state.relay,
            settings.life_timer_poll_s,
            life.FIRE_BATCH,
        )
        app.state.health = HealthRefresher(
            lambda: health_views.refresh(uow, datetime.now(UTC).date()),
            settings.health_refresh_debounce_s,
        )
        loop = asyncio.get_running_loop()

        def wake_health(changed: bool) -> None:  # called from handlers' and routes' threads
            loop.call_soon_threadsafe(app.state.health.notify, changed)

        app.state.unlisten = cache_of(app.state.engine).listen(wake_health)
        wake.append(app.state.worker.notify)
        app.state.relay.start()
        app.state.worker.start()
        app.state.timers.start()
        app.state.health.start()

    async def stop(app: FastAPI) -> None:
        app.state.unlisten()
        await app.state.health.stop()
        await app.state.timers.stop()
        await app.state.worker.stop()
        await app.state.relay.stop()
        await app.state.labels.aclose()

    routers = [
        members_router, rounds_router, matches_router, life_router, health_router,
        repairs_router, closing_router,
    ]  # fmt: skip
    if isinstance(clock, AdjustableClock):
        routers.append(clock_router)
    app = create_service_app(
        service=SERVICE,
        nats_access=NATS_ACCESS,
        db_url=db_url(settings),
        title="Entraide — matcher",
        description="Projection des membres, campagnes de mise en relation, propositions.",
        settings=settings,
        published=PUBLISHED,
        subscribe=subscribe,
        migrations=MIGRATIONS,
        routers=routers,
        on_start=start,
        on_stop=stop,
    )
    app.state.clock = clock
    return app
