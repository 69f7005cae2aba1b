"""Composition root of the notifier service."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Engine

from services.notifier.api.inbox import router as inbox_router
from services.notifier.handlers import register_handlers
from services.notifier.migrations import MIGRATIONS
from shared import events
from shared.broker import make_broker
from shared.settings import Settings, get_settings
from shared.web import create_service_app

SERVICE = "notifier"
PUBLISHED = (events.NotificationDelivered, events.NotificationFailed)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    def build_broker(get_engine: Callable[[], Engine]) -> NatsBroker:
        broker = make_broker(settings, SERVICE)
        register_handlers(broker, get_engine)
        for event in PUBLISHED:
            broker.publisher(event.subject, schema=event, description=event.__doc__)
        return broker

    return create_service_app(
        service=SERVICE,
        title="Entraide — notifier",
        description="Annonces des mises en relation : e-mail, messageries, boîte de réception.",
        settings=settings,
        build_broker=build_broker,
        migrations=MIGRATIONS,
        routers=[inbox_router],
    )
