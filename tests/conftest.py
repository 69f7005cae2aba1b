"""Shared fixtures: a real nats-server per test session, settings, in-process apps."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from deploy.local.nats_server import NatsServer, free_port, password_settings
from shared.settings import Settings

pytest_plugins = ["tests.hang_report"]  # a hung test or suite fails with its stacks

# One dispatcher process per notifier in tests (the default is 2, issue 14): every app a
# test starts would otherwise start a second Python process. The tests of several
# dispatcher processes set ENTRAIDE_NOTIFIER_PROCESSES themselves.
os.environ.setdefault("ENTRAIDE_NOTIFIER_PROCESSES", "1")


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A real nats-server with JetStream on a free port, stopped at the end.

    It is closed like every Entraide broker: services connect with their own users
    (``make_settings``), tools and tests with ``nats_server.url`` (the operator)."""
    server = NatsServer(tmp_path_factory.mktemp("nats"), port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def own_nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A nats-server of the test's own: empty streams, no durable consumer yet. For a test
    whose consumer must see its own events only (the session broker's durable consumers
    may still hold what an earlier test published and did not consume)."""
    server = NatsServer(tmp_path / "own-nats", port=free_port()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_settings(tmp_path: Path, nats_server: NatsServer) -> Callable[..., Settings]:
    """Settings for one test: its own data folder (fresh databases) and the session broker.

    Streams and durable consumers are shared across the session: tests use unique ids.
    """

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "env": "test",
            "data_dir": tmp_path,
            "nats_url": nats_server.address,
            **password_settings(nats_server.passwords),
            "profiles_port": free_port(),
            "matcher_port": free_port(),
            "notifier_port": free_port(),
            "portal_port": free_port(),
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """URL of a PostgreSQL server for the ``postgres`` tests (CI starts one)."""
    url = os.environ.get("ENTRAIDE_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must provide ENTRAIDE_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("PostgreSQL not available: set ENTRAIDE_TEST_POSTGRES_URL to run this test")
    return url


@contextmanager
def fresh_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on ``server_url``, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"entraide_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with fresh_postgres_database(postgres_server_url) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL: a SQLite file, then (when available) a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return str(request.getfixturevalue("postgres_url"))
