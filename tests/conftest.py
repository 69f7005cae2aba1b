"""Shared fixtures: a real nats-server per test session, settings, in-process apps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from deploy.nats_server import NatsServer, free_port
from shared.settings import Settings


@pytest.fixture(scope="session")
def nats_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsServer]:
    """A real nats-server with JetStream on a free port, stopped at the end."""
    server = NatsServer(tmp_path_factory.mktemp("nats"), port=free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_settings(tmp_path: Path, nats_server: NatsServer) -> Callable[..., Settings]:
    """Settings for one test: its own data folder (fresh databases) and the session broker.

    Each test gets its own stream-name-free isolation through fresh durable consumers is
    NOT given: streams are shared across the session, so tests use unique ids.
    """

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "env": "test",
            "data_dir": tmp_path,
            "nats_url": nats_server.url,
            "profiles_port": free_port(),
            "matcher_port": free_port(),
            "notifier_port": free_port(),
        }
        values.update(overrides)
        return Settings(**values)  # type: ignore[arg-type]

    return make
