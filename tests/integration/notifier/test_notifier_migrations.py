"""Alembic takes over a notifier database made by the pre-Alembic migrations, data kept.

Run on SQLite and (with ENTRAIDE_TEST_POSTGRES_URL) on PostgreSQL.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from types import ModuleType

from sqlalchemy import inspect, text

from services.notifier.main import MIGRATIONS
from shared.db import make_engine
from shared.migrations import current_revision, head_revision, upgrade
from tests.legacy_migrations import legacy_migrate


def _baseline() -> ModuleType:
    path = MIGRATIONS / "versions" / "0001_baseline.py"
    spec = importlib.util.spec_from_file_location("notifier_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROW = text(
    "INSERT INTO deliveries (id, match_id, round_id, member_id, channel, kind, status, "
    "attempts, reason, payload, created_at, updated_at, role, message_key, event_published) "
    "VALUES (:id, 'm1', 'r1', :member, 'email', 'match.mentoring_pair', :status, 1, :reason, "
    "'{\"type\": \"match.mentoring_pair\"}', :now, :now, 'mentor', 'k1', :published)"
)


def test_a_database_of_todays_schema_with_data_is_carried_to_head_intact(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert legacy_migrate(engine, _baseline().STEPS) == 2  # the legacy runner, as today
        now = datetime(2025, 3, 3, 12, tzinfo=UTC)
        with engine.begin() as conn:
            common = {"now": now, "published": True}
            conn.execute(
                ROW, {**common, "id": "d1", "member": "a", "status": "sent", "reason": None}
            )
            conn.execute(
                ROW,
                {
                    **common,
                    "id": "d2",
                    "member": "b",
                    "status": "skipped",
                    "reason": "membre effacé",
                },
            )

        reached = upgrade(engine, MIGRATIONS)

        assert reached == head_revision(MIGRATIONS) == current_revision(engine)
        assert not inspect(engine).has_table("schema_version")
        columns = {c["name"] for c in inspect(engine).get_columns("deliveries")}
        assert {"reason_params", "message_key", "event_published", "lease_until"} <= columns
        indexes = {i["name"] for i in inspect(engine).get_indexes("deliveries")}
        assert {"ix_deliveries_due", "ix_deliveries_message", "ix_deliveries_outbox"} <= indexes
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT id, status, reason, reason_params FROM deliveries ORDER BY id")
            ).all()
        assert [tuple(r) for r in rows] == [
            ("d1", "sent", None, None),
            ("d2", "skipped", "membre effacé", None),  # an old row keeps its sentence
        ]
        assert upgrade(engine, MIGRATIONS) == reached  # a second start changes nothing
    finally:
        engine.dispose()


def test_a_new_database_gets_the_whole_schema_from_alembic(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, MIGRATIONS)
        assert current_revision(engine) == head_revision(MIGRATIONS)
        assert not inspect(engine).has_table("schema_version")
        columns = {c["name"] for c in inspect(engine).get_columns("deliveries")}
        assert {"reason", "reason_params", "content", "sent_at"} <= columns
    finally:
        engine.dispose()
