"""The notifier's dispatchers: the main process's, and more in processes of their own.

One notifier process is bound to one core by the GIL, and delivering an e-mail costs it
a few milliseconds of CPU (rendering, the MIME text, SMTP, the two writes of the commit
point, contacts, the claim: issue 14), so a 10,000-member round waited on one core while
the other idled. ``ENTRAIDE_NOTIFIER_PROCESSES`` dispatchers (2 by default, at most 8)
therefore share the store: the main process (consumer, HTTP API, outbox, a dispatcher)
starts ``processes - 1`` more that only scan and send. The lease makes that safe as it
makes several replicas safe (:func:`~services.notifier.adapters.repository.claim`
leases each message to one scan; the commit point and exactly-once are unchanged); on
SQLite their writes queue on one file lock
(:mod:`~services.notifier.adapters.writes`). The main process publishes the outbox of
all (the rows they commit), so only it talks to the broker.

A child is ``python -m services.notifier.dispatchers`` with the settings pickled on its
standard input (tests and benchmarks build settings in-process), gets SIGTERM when the
main process dies (``PR_SET_PDEATHSIG``), and stops after its scan in progress on
SIGTERM, as the main one does on shutdown. An in-memory database cannot be shared:
the main process then dispatches alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import pickle
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from services.notifier import SERVICE
from services.notifier.adapters.channels import ChatChannel, EmailChannel
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.adapters.profiles_client import ProfilesClient
from services.notifier.domain.errors import ChannelError
from services.notifier.service_layer.dispatcher import Dispatcher
from services.notifier.service_layer.outbox import DeadLetter, Publish
from shared.auth import mint_token
from shared.catalogue import CatalogueLabels
from shared.settings import Settings

log = logging.getLogger("entraide.notifier.dispatchers")


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


@dataclass
class Children:
    """The dispatchers started beside the main process's."""

    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, count: int, settings: Settings, options: DispatcherOptions,
              db_url: str, synchronous: str) -> None:  # fmt: skip
        job = pickle.dumps((settings, options, db_url, synchronous))
        for _ in range(count):
            child = subprocess.Popen(
                [sys.executable, "-m", "services.notifier.dispatchers", str(os.getpid())],
                stdin=subprocess.PIPE,
            )
            assert child.stdin is not None
            child.stdin.write(job)
            child.stdin.close()
            self.processes.append(child)
        log.info("%d more dispatcher process(es) started", count)

    def stop(self, grace_s: float = 15.0) -> None:
        """SIGTERM: each finishes its scan in progress; SIGKILL after ``grace_s``."""
        for child in self.processes:
            if child.poll() is None:
                child.terminate()
        for child in self.processes:
            try:
                child.wait(grace_s)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.processes.clear()


def _die_with(parent: int) -> None:
    """SIGTERM when ``parent`` dies (Linux ``prctl(PR_SET_PDEATHSIG)``; the service image
    has no ``deploy`` package to share it with); if it is already gone, now."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


async def _serve(settings: Settings, options: DispatcherOptions, db_url: str,
                 synchronous: str) -> None:  # fmt: skip
    from shared.db import make_engine

    engine = make_engine(db_url, synchronous)  # migrated by the main process
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


def main(argv: list[str]) -> None:
    """A child dispatcher: ``argv[0]`` is the main process's pid, the job on stdin."""
    from shared.logging import configure_logging

    _die_with(int(argv[0]))
    job: Any = pickle.loads(sys.stdin.buffer.read())  # written by our own parent
    settings, options, db_url, synchronous = job
    configure_logging(SERVICE, settings)
    asyncio.run(_serve(settings, options, db_url, synchronous))


if __name__ == "__main__":
    main(sys.argv[1:])
