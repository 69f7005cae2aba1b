"""Composition root of the notifier service."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Engine

from services.notifier import NATS_ACCESS, SERVICE, db_url, dispatchers
from services.notifier.adapters import erasure_repository, metrics
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.api.routes.deliveries import router as deliveries_router
from services.notifier.api.routes.inbox import router as inbox_router
from services.notifier.api.routes.messages import router as messages_router
from services.notifier.handlers import register_handlers
from services.notifier.service_layer.dispatcher import Dispatcher
from shared import events
from shared.broker import publish_dead_letter
from shared.settings import Settings, get_settings
from shared.web import create_service_app

MIGRATIONS = Path(__file__).with_name("migrations")
PUBLISHED = (events.NotificationDelivered, events.NotificationFailed)


def create_app(
    settings: Settings | None = None, options: DispatcherOptions | None = None
) -> FastAPI:
    settings = settings or get_settings()
    options = options or DispatcherOptions()

    started: dict[str, Dispatcher] = {}

    def subscribe(broker: NatsBroker, get_engine: Callable[[], Engine]) -> None:
        register_handlers(broker, get_engine, options.settle_s, lambda: started["dispatcher"])

    async def on_start(app: FastAPI) -> None:
        js = app.state.broker.connection.jetstream()
        metrics.watch(app.state.metrics, app.state.engine)

        async def publish(subject: str, body: bytes, headers: dict[str, str]) -> None:
            await js.publish(subject, body, headers=headers)

        async def dead_letter(body: bytes, reason: str) -> None:
            await publish_dead_letter(js, SERVICE, body, reason, events.NotificationFailed.subject)

        built = dispatchers.build(settings, options, app.state.engine, publish, dead_letter)
        dispatcher = built.dispatcher
        app.state.dispatcher = started["dispatcher"] = dispatcher
        app.state.email_channel = built.email if built.email.configured else None
        await built.warm()
        app.state.dispatcher_task = asyncio.create_task(dispatcher.run(), name="dispatcher")
        app.state.profiles_client = built.profiles
        app.state.catalogue_labels = built.labels
        app.state.built_dispatcher = built
        app.state.more_dispatchers = children = dispatchers.Children()
        if options.processes > 1 and dispatchers.shareable(app.state.engine):
            children.start(options.processes - 1, settings, options, db_url(settings),
                           settings.sqlite_synchronous)  # fmt: skip

    async def on_stop(app: FastAPI) -> None:
        stopping = asyncio.create_task(asyncio.to_thread(app.state.more_dispatchers.stop))
        await app.state.dispatcher.stop()
        await app.state.dispatcher_task
        await app.state.built_dispatcher.aclose()
        await stopping

    app = create_service_app(
        service=SERVICE,
        nats_access=NATS_ACCESS,
        db_url=db_url(settings),
        title="Entraide — notifier",
        description="Annonces des mises en relation : e-mail, messageries, boîte de réception.",
        settings=settings,
        published=PUBLISHED,
        subscribe=subscribe,
        migrations=MIGRATIONS,
        routers=[inbox_router, deliveries_router, messages_router],
        on_start=on_start,
        on_stop=on_stop,
    )

    def erased(subject: str, issued_at: float) -> bool:
        return erasure_repository.erased_since(app.state.engine, subject, issued_at)

    app.state.erased_subjects = erased  # tokens of erased members (shared.web)
    return app
