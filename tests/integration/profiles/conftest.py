"""Fixtures of the profiles integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from services.profiles.main import MIGRATIONS
from shared.db import make_engine
from shared.migrations import upgrade


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A profiles database at the head revision: SQLite, then PostgreSQL when available."""
    eng = make_engine(db_url)
    upgrade(eng, MIGRATIONS)
    yield eng
    eng.dispose()
