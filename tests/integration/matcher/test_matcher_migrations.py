"""A matcher database made before Alembic is upgraded in place, its rows intact.

Run against SQLite and (when available) PostgreSQL.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

from services.matcher.adapters.orm import history, matches, members, rounds
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer import rounds as round_cases
from shared.db import make_engine
from shared.migrations import current_revision, head_revision, upgrade
from shared.pagination import PageRequest
from tests.legacy_migrations import legacy_migrate

NOW = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)


def legacy_steps() -> Sequence[Any]:
    """Today's legacy migration steps, as frozen in the baseline revision."""
    path = MIGRATIONS / "versions" / "0001_baseline.py"
    spec = importlib.util.spec_from_file_location("matcher_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.STEPS  # type: ignore[no-any-return]


def old_round(round_id: str, state: str, step: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": round_id, "client_request_id": f"req-{round_id}", "kind": "mentoring",
        "name": "Parrainage", "state": state, "progress": 1.0, "step": step, "scope": {},
        "parameters": {"seed": 1}, "requested_by": "hr", "report": {"headline": {"x": 1.0}},
        "adjustments": [{"action": "lock", "match_id": "m1"}], "lease_until": None,
        "error": None, "created_at": NOW, "updated_at": NOW, **extra,
    }  # fmt: skip


def fill_old_database(engine: Engine) -> None:
    """A database as the pre-Alembic matcher left it, with rows in every table we read."""
    legacy_migrate(engine, legacy_steps())
    with engine.begin() as conn:
        conn.execute(
            members.insert().values(id="a", version=3, profile={"site": "Lyon"}, updated_at=NOW)
        )
        conn.execute(rounds.insert(), [
            old_round("r1", "published", "proposition prête"),
            old_round("r2", "requested", "en attente"),
            old_round("r3", "failed", "Binômes impossibles : personne", error="boom"),
        ])  # fmt: skip
        data = {"mentor_id": "a", "mentee_id": "b", "text": {"fr": "Binôme proposé car : ..."}}
        conn.execute(
            matches.insert().values(
                id="m1", round_id="r1", kind="mentoring", members=["a", "b"], data=data, locked=1
            )
        )
        conn.execute(
            history.insert().values(
                round_id="r1", member_a="a", member_b="b", kind="mentoring", met_at=NOW
            )
        )


def test_a_pre_alembic_database_is_upgraded_to_head_with_its_rows_intact(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        fill_old_database(engine)
        assert upgrade(engine, MIGRATIONS) == head_revision(MIGRATIONS)
        assert current_revision(engine) == head_revision(MIGRATIONS) == "0012_correlation"
        assert not inspect(engine).has_table("schema_version")
        uow = UnitOfWork(engine)
        found, total = round_cases.list_rounds(uow, PageRequest())
        assert total == 3
        by_id = {r.id: r for r in found}
        assert {k: str(r.step) for k, r in by_id.items()} == {
            "r1": "published", "r2": "waiting", "r3": "failed",
        }  # fmt: skip
        assert by_id["r1"].report == {"headline": {"x": 1.0}} and by_id["r3"].error == "boom"
        assert by_id["r1"].parameters.seed == 1 and by_id["r1"].adjustments[0].action == "lock"
        (match,), _ = round_cases.list_matches(uow, "r1")
        assert match.members == ("a", "b") and match.locked
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version FROM members")).scalar() == 3
            assert conn.execute(text("SELECT COUNT(*) FROM history")).scalar() == 1
        upgrade(engine, MIGRATIONS)  # at every start: nothing more to do
        assert current_revision(engine) == "0012_correlation"
    finally:
        engine.dispose()


def test_a_new_database_is_created_at_head(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    upgrade(engine, MIGRATIONS)
    names = set(inspect(engine).get_table_names())
    assert {
        "rounds",
        "matches",
        "members",
        "history",
        "outbox",
        "alembic_version",
        "health_facts",
    } <= names
    assert "schema_version" not in names
    engine.dispose()


def test_an_upgrade_seats_the_attendees_of_rotation_matches_stored_before_it(
    db_url: str,
) -> None:
    engine = make_engine(db_url)
    try:
        legacy_migrate(engine, legacy_steps())
        seated = [("a", [(0, 0), (1, 1)]), ("b", [(0, 0), (1, 0)]), ("~erased", [(0, 1)])]
        with engine.begin() as conn:
            conn.execute(rounds.insert().values(
                **old_round("s1", "published", "proposition prête", kind="rotations")
            ))  # fmt: skip
            conn.execute(matches.insert(), [
                {"id": f"m-{who}", "round_id": "s1", "kind": "rotations", "members": [who],
                 "locked": 0, "data": {"seats": [{"seminar_round": r, "table": t,
                                                  "tablemates": []} for r, t in where]}}
                for who, where in seated
            ])  # fmt: skip
        upgrade(engine, MIGRATIONS)
        found, total = round_cases.list_tables(UnitOfWork(engine), "s1", None, PageRequest())
        assert total == 3
        assert [(t.seminar_round, t.table, t.members) for t in found] == [
            (0, 0, ("a", "b")), (1, 0, ("b",)), (1, 1, ("a",)),
        ]  # fmt: skip
    finally:
        engine.dispose()


def test_an_upgrade_indexes_who_is_in_the_matches_stored_before_it(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        fill_old_database(engine)  # published r1: m1 of a and b
        with engine.begin() as conn:
            conn.execute(matches.insert().values(
                id="m2", round_id="r2", kind="mentoring", members=["a", "~erased"], data={},
                locked=0,
            ))  # fmt: skip
        upgrade(engine, MIGRATIONS)
        uow = UnitOfWork(engine)
        for member in ("a", "b"):
            found, total = round_cases.member_matches(uow, member, PageRequest())
            assert [m.id for m in found] == ["m1"] and total == 1  # r2 is not published
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT member_id, match_id FROM match_members")).all()
        assert sorted(tuple(r) for r in rows) == [("a", "m1"), ("a", "m2"), ("b", "m1")]
    finally:
        engine.dispose()
