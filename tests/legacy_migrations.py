"""The pre-Alembic migration runner, kept only to make databases as the services did.

Until issue 9 each service applied an ordered list of functions and kept the version
reached in a ``schema_version`` table. Tests use this to build such a database and
check that the service's Alembic baseline carries it on with its rows intact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Engine, text

Migration = Callable[[Connection], None]


def legacy_migrate(engine: Engine, migrations: Sequence[Migration]) -> int:
    """Apply the steps not yet applied, in order, each in its own transaction."""
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"))
        current = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar() or 0
    for number, step in enumerate(migrations, start=1):
        if number <= current:
            continue
        with engine.begin() as conn:
            step(conn)
            conn.execute(text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": number})
    return len(migrations)
