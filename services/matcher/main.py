"""Composition root of the matcher service."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Engine

from services.matcher.api.members import router as members_router
from services.matcher.handlers import register_handlers
from services.matcher.migrations import MIGRATIONS
from shared import events
from shared.broker import make_broker
from shared.settings import Settings, get_settings
from shared.web import create_service_app

SERVICE = "matcher"
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

    def build_broker(get_engine: Callable[[], Engine]) -> NatsBroker:
        broker = make_broker(settings, SERVICE)
        register_handlers(broker, get_engine)
        for event in PUBLISHED:
            broker.publisher(event.subject, schema=event, description=event.__doc__)
        return broker

    return create_service_app(
        service=SERVICE,
        title="Entraide — matcher",
        description="Projection des membres, campagnes de mise en relation, propositions.",
        settings=settings,
        build_broker=build_broker,
        migrations=MIGRATIONS,
        routers=[members_router],
    )
