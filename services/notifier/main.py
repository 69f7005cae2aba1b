"""Composition root of the notifier service.

The notifier delivers with ``ENTRAIDE_NOTIFIER_PROCESSES`` dispatchers (2 by default, at
most 8). One process is bound to one core by the GIL, and delivering an e-mail costs it
a few milliseconds of CPU (rendering, the MIME text, SMTP, the two writes of the commit
point, contacts, the claim: issue 14), so a 10,000-member round waited on one core
while the other idled. The main process (consumer, HTTP API, outbox, a dispatcher)
starts ``processes - 1`` more (:mod:`~services.notifier.adapters.processes`) that only
scan and send (:func:`serve_dispatcher`). The lease makes that safe as it makes several
replicas safe (:func:`~services.notifier.adapters.repository.claim` leases each message
to one scan; the commit point and exactly-once are unchanged); on SQLite their writes
queue on one file lock (:mod:`~services.notifier.adapters.writes`). The main process
publishes the outbox of all, so only it talks to the broker. An in-memory database
cannot be shared: the main process then dispatches alone.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from faststream.nats import NatsBroker
from sqlalchemy import Engine

from services.notifier import NATS_ACCESS, SERVICE, db_url
from services.notifier.adapters import erasure_repository, metrics, processes
from services.notifier.adapters.channels import ChatChannel, EmailChannel
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.adapters.profiles_client import ProfilesClient
from services.notifier.api.routes.deliveries import router as deliveries_router
from services.notifier.api.routes.inbox import router as inbox_router
from services.notifier.api.routes.messages import router as messages_router
from services.notifier.domain.errors import ChannelError
from services.notifier.handlers import register_handlers
from services.notifier.service_layer.dispatcher import Dispatcher
from services.notifier.service_layer.outbox import DeadLetter, Publish
from shared import events
from shared.auth import mint_token
from shared.broker import publish_dead_letter
from shared.catalogue import CatalogueLabels
from shared.db import make_engine
from shared.logging import configure_logging
from shared.settings import Settings, get_settings
from shared.web import create_service_app

MIGRATIONS = Path(__file__).with_name("migrations")
PUBLISHED = (events.NotificationDelivered, events.NotificationFailed)
log = logging.getLogger("entraide.notifier")


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

        built = build(settings, options, app.state.engine, publish, dead_letter)
        dispatcher = built.dispatcher
        app.state.dispatcher = started["dispatcher"] = dispatcher
        app.state.email_channel = built.email if built.email.configured else None
        await built.warm()
        app.state.dispatcher_task = asyncio.create_task(dispatcher.run(), name="dispatcher")
        app.state.profiles_client = built.profiles
        app.state.catalogue_labels = built.labels
        app.state.built_dispatcher = built
        app.state.more_dispatchers = children = processes.Children()
        if options.processes > 1 and shareable(app.state.engine):
            job = (settings, options, db_url(settings), settings.sqlite_synchronous)
            children.start(options.processes - 1, job)

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


@dataclass
class Built:
    """A dispatcher and the clients it owns (closed with it)."""

    dispatcher: Dispatcher
    profiles: ProfilesClient
    labels: CatalogueLabels
    email: EmailChannel

    async def warm(self) -> None:
        """Read the relay's URL now: apprise loads its plugins on first use (~1 s of CPU),
        which would otherwise delay a round's first e-mail. A URL it refuses is told
        on each send, as before (the sends fail with its reason)."""
        if self.email.configured:
            try:
                await asyncio.to_thread(self.email.relay)
            except ChannelError:
                log.warning("the SMTP relay URL is refused; e-mails will fail until it is fixed")

    async def aclose(self) -> None:
        await asyncio.to_thread(self.dispatcher.close)
        await self.profiles.aclose()
        await self.labels.aclose()


def build(
    settings: Settings,
    options: DispatcherOptions,
    engine: Engine,
    publish: Publish,
    dead_letter: DeadLetter,
) -> Built:
    """A dispatcher on ``engine`` with its profiles client, labels and channels."""

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
        engine, options, profiles, labels,
        {"email": email if email.configured else None, "chat": chat},
        publish, dead_letter, settings.max_attempts, settings.retry_base_s,
        settings.portal_base_url,
        retry_cap_s=settings.retry_cap_s, retry_horizon_s=settings.retry_horizon_s,
    )  # fmt: skip
    return Built(dispatcher, profiles, labels, email)


def shareable(engine: Engine) -> bool:
    """Can other processes open this database? (Not an in-memory SQLite one.)"""
    return engine.dialect.name != "sqlite" or engine.url.database not in (None, "", ":memory:")


async def serve_dispatcher(settings: Settings, options: DispatcherOptions, url: str,
                           synchronous: str) -> None:  # fmt: skip
    """A dispatcher of its own process (no consumer, no HTTP, no outbox), until SIGTERM."""
    engine = make_engine(url, synchronous)  # migrated by the main process
    built = build(settings, options, engine, _no_outbox, _no_dead_letters)
    await built.warm()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(built.dispatcher.stop()))
    try:
        await built.dispatcher.run(outbox=False)
    finally:
        await built.aclose()
        engine.dispose()


async def _no_outbox(subject: str, body: bytes, headers: dict[str, str]) -> None:
    raise RuntimeError("the main notifier process publishes the outbox")


async def _no_dead_letters(body: bytes, reason: str) -> None:
    raise RuntimeError("the main notifier process publishes the dead letters")


def run_dispatcher(argv: list[str]) -> None:
    """``python -m services.notifier dispatcher <main pid>``: one more dispatcher."""
    settings, options, url, synchronous = processes.job_of_parent(argv)
    configure_logging(SERVICE, settings)
    asyncio.run(serve_dispatcher(settings, options, url, synchronous))
