"""Composition root of the profiles service: engine, broker, migrations and outbox relay."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from services.profiles import NATS_ACCESS, SERVICE, db_url
from services.profiles.adapters.outbox import OutboxRelay, pending_count
from services.profiles.api.routes import catalogues, imports, me, members, organisation
from services.profiles.service_layer.personal_data import erased_since
from shared import events
from shared.lean_route import serve_lean
from shared.metrics import watch_outbox
from shared.settings import Settings, get_settings
from shared.web import create_service_app

PUBLISHED = (
    events.MemberRegistered,
    events.MemberProfileUpdated,
    events.MemberErased,
    events.MemberDeactivated,
)
MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    async def start_relay(app: FastAPI) -> None:
        app.state.relay = OutboxRelay(app.state.engine, app.state.broker.connection.jetstream())
        app.state.relay.start()
        engine = app.state.engine
        watch_outbox(app.state.metrics, lambda: pending_count(engine))
        app.state.erased_subjects = lambda subject, issued_at: erased_since(
            engine, subject, issued_at
        )

    async def stop_relay(app: FastAPI) -> None:
        await app.state.relay.stop()

    app = create_service_app(
        service=SERVICE,
        nats_access=NATS_ACCESS,
        db_url=db_url(settings),
        title="Entraide — profils",
        description=(
            "Profils des membres, catalogues de compétences et de thèmes, import RH, RGPD. "
            "Chaque modification publie un événement (outbox transactionnelle)."
        ),
        settings=settings,
        published=PUBLISHED,
        migrations=MIGRATIONS,
        routers=[
            me.router,
            imports.router,
            members.router,
            organisation.router,
            catalogues.skills_router,
            catalogues.themes_router,
        ],
        on_start=start_relay,
        durable_commits=True,  # a 2xx write is on disk (group commits keep it fast)
        on_stop=stop_relay,
    )
    serve_lean(app, me.lean)  # GET and PATCH /me, the hot paths (shared.lean_route)
    return app
