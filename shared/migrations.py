"""Schema migrations of every service: Alembic, applied at start-up.

Each service keeps its revisions in ``services/<name>/migrations/versions/``; the
app factory calls :func:`upgrade` in the lifespan, before anything reads the
database. On PostgreSQL an advisory lock serialises replicas starting together.

Databases made before Alembic kept their version in a ``schema_version`` table; each
service's first revision (its baseline) calls :func:`apply_legacy` with the steps of
that time, frozen, so such a database is brought to the baseline and then carried on
by Alembic like a new one.

Maintainers write a revision with the ``alembic`` command and the repository's
``alembic.ini`` (one section per service)::

    alembic -n matcher revision -m "rounds: deadline column"
"""

from __future__ import annotations

import importlib
import logging
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

log = logging.getLogger("entraide.migrations")

LegacyStep = Callable[[Connection], None]


def upgrade(engine: Engine, location: Path | str) -> str | None:
    """Bring the database to the newest revision in ``location``; returns that revision."""
    config, script = _script(location)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            key = zlib.crc32(str(Path(location).parent.name).encode())
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        with EnvironmentContext(
            config, script, fn=lambda rev, _ctx: script._upgrade_revs("head", rev)
        ) as env:
            env.configure(connection=conn)
            with env.begin_transaction():
                env.run_migrations()
        reached = MigrationContext.configure(conn).get_current_revision()
    log.info("database at revision %s (%s)", reached, Path(location).parent.name)
    return reached


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(location: Path | str) -> str | None:
    return _script(location)[1].get_current_head()


def apply_legacy(conn: Connection, steps: Sequence[LegacyStep]) -> None:
    """Run the pre-Alembic steps a database has not had yet, then drop their table.

    A new database gets every step; one made before Alembic gets those after the
    version its ``schema_version`` table records. Called only by baseline revisions.
    """
    done = 0
    if inspect(conn).has_table("schema_version"):
        done = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() or 0
    for number, step in enumerate(steps, start=1):
        if number > done:
            step(conn)
            log.info("legacy migration %d (%s) applied", number, step.__name__)
    if inspect(conn).has_table("schema_version"):
        conn.execute(text("DROP TABLE schema_version"))


def run_env() -> None:
    """The body of every service's ``migrations/env.py`` (the ``alembic`` command)."""
    from alembic import context

    from shared.db import make_engine
    from shared.settings import get_settings

    config = context.config
    package = importlib.import_module(f"services.{config.config_ini_section}")
    url = config.get_main_option("sqlalchemy.url") or package.db_url(get_settings())
    engine = make_engine(url)
    with engine.begin() as conn:
        context.configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()


def _script(location: Path | str) -> tuple[Config, ScriptDirectory]:
    config = Config()
    config.set_main_option("script_location", str(location))
    return config, ScriptDirectory.from_config(config)
