"""A service's own process freezes its start-up heap (gc.freeze), an app in a test does not."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from services.profiles.main import MIGRATIONS
from shared.settings import Settings
from shared.web import create_service_app
from tests.support import running


def app_of(tmp_path: Path) -> FastAPI:
    return create_service_app(
        service="profiles",
        title="t",
        description="t",
        settings=Settings(env="test", data_dir=tmp_path),
        published=(),
        db_url=f"sqlite:///{tmp_path / 'p.db'}",
        migrations=MIGRATIONS,
        routers=[],
        broker=False,
    )


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the session collects as usual


async def test_an_app_started_by_the_service_runner_freezes_what_start_up_allocated(
    tmp_path: Path, unfrozen: None
) -> None:
    app = app_of(tmp_path)
    app.state.settle_heap = True  # as services/runner.py sets it
    async with running(app):
        assert gc.get_freeze_count() > 0


async def test_an_app_started_in_a_test_process_leaves_the_collector_alone(
    tmp_path: Path, unfrozen: None
) -> None:
    async with running(app_of(tmp_path)):
        assert gc.get_freeze_count() == 0
