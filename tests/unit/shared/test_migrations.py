"""Alembic at start-up, and databases made before Alembic carried on from where they were."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, inspect, text

from shared.db import make_engine
from shared.migrations import apply_legacy, current_revision, upgrade
from tests.legacy_migrations import legacy_migrate

BASELINE = """
from alembic import op
from sqlalchemy import text
from shared.migrations import apply_legacy

revision = "0001"
down_revision = None

def step1(conn):
    conn.execute(text("CREATE TABLE things (id INTEGER PRIMARY KEY)"))

def step2(conn):
    conn.execute(text("ALTER TABLE things ADD COLUMN name VARCHAR(20)"))

def upgrade():
    apply_legacy(op.get_bind(), [step1, step2])
"""
SECOND = """
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"

def upgrade():
    op.add_column("things", sa.Column("size", sa.Integer, nullable=True))
"""


def _folder(tmp_path: Path) -> Path:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (tmp_path / "migrations" / "script.py.mako").write_text("")
    (versions / "0001_baseline.py").write_text(BASELINE)
    (versions / "0002_size.py").write_text(SECOND)
    return tmp_path / "migrations"


def test_a_new_database_gets_every_revision(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert upgrade(engine, _folder(tmp_path)) == "0002"
    columns = {c["name"] for c in inspect(engine).get_columns("things")}
    assert columns == {"id", "name", "size"}
    assert upgrade(engine, _folder(tmp_path / "again")) == "0002"  # idempotent


def test_a_database_made_before_alembic_keeps_its_rows_and_gets_only_what_it_lacks(
    tmp_path: Path,
) -> None:
    def step1(conn: Connection) -> None:
        conn.execute(text("CREATE TABLE things (id INTEGER PRIMARY KEY)"))

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    legacy_migrate(engine, [step1])  # the old mechanism, stopped at its first step
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO things (id) VALUES (7)"))
    upgrade(engine, _folder(tmp_path))
    assert current_revision(engine) == "0002"
    assert not inspect(engine).has_table("schema_version")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, name, size FROM things")).all() == [(7, None, None)]


def test_legacy_steps_already_applied_are_not_applied_again(tmp_path: Path) -> None:
    calls: list[str] = []
    engine = make_engine(f"sqlite:///{tmp_path / 'l.db'}")
    legacy_migrate(engine, [lambda c: calls.append("a")])
    with engine.begin() as conn:
        apply_legacy(conn, [lambda c: calls.append("a"), lambda c: calls.append("b")])
    assert calls == ["a", "b"]
