"""One transaction and the repositories that work in it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine

from services.matcher.adapters.closing_repository import ClosingRepository
from services.matcher.adapters.health import HealthRepository
from services.matcher.adapters.life_repository import LifeRepository
from services.matcher.adapters.projection import ProjectionRepository
from services.matcher.adapters.repairs import RepairRepository
from services.matcher.adapters.repository import RoundRepository


class Store:
    """The repositories of one transaction."""

    def __init__(self, conn: Connection) -> None:
        self.rounds = RoundRepository(conn)
        self.members = ProjectionRepository(conn)
        self.life = LifeRepository(conn)
        self.health = HealthRepository(conn)
        self.repairs = RepairRepository(conn)
        self.closing = ClosingRepository(conn)


class UnitOfWork:
    """``with uow.begin() as store:`` commits when the block ends, rolls back on error."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def begin(self) -> Iterator[Store]:
        with self.engine.begin() as conn:
            yield Store(conn)
