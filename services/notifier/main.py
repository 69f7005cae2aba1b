"""Composition root of the notifier service."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Engine

from services.notifier import NATS_ACCESS, SERVICE, db_url
from services.notifier.adapters import erasure_repository, metrics
from services.notifier.adapters.channels import ChatChannel, EmailChannel
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.adapters.profiles_client import ProfilesClient
from services.notifier.api.routes.deliveries import router as deliveries_router
from services.notifier.api.routes.inbox import router as inbox_router
from services.notifier.api.routes.messages import router as messages_router
from services.notifier.handlers import register_handlers
from services.notifier.service_layer.dispatcher import Dispatcher
from shared import events
from shared.auth import mint_token
from shared.broker import publish_dead_letter
from shared.catalogue import CatalogueLabels
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

        def mint(ttl: int) -> str:
            return mint_token(settings, SERVICE, ("service",), ttl_s=ttl)

        profiles = ProfilesClient(
            settings.profiles_base_url, mint,
            timeout_s=options.profiles_timeout_s, ttl_s=options.contact_ttl_s,
        )  # fmt: skip
        labels = CatalogueLabels(settings.profiles_base_url, mint)
        email = EmailChannel(settings.smtp_url, settings.mail_from)
        chat = ChatChannel(settings.allowed_webhook_hosts, settings.webhook_allow_private_addresses)
        dispatcher = Dispatcher(
            app.state.engine, options, profiles, labels,
            {"email": email if email.configured else None, "chat": chat},
            publish, dead_letter, settings.max_attempts, settings.retry_base_s,
            settings.portal_base_url,
            retry_cap_s=settings.retry_cap_s, retry_horizon_s=settings.retry_horizon_s,
        )  # fmt: skip
        app.state.dispatcher = started["dispatcher"] = dispatcher
        app.state.email_channel = email if email.configured else None
        app.state.dispatcher_task = asyncio.create_task(dispatcher.run(), name="dispatcher")
        app.state.profiles_client = profiles
        app.state.catalogue_labels = labels

    async def on_stop(app: FastAPI) -> None:
        await app.state.dispatcher.stop()
        await app.state.dispatcher_task
        await asyncio.to_thread(app.state.dispatcher.close)
        await app.state.profiles_client.aclose()
        await app.state.catalogue_labels.aclose()

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
