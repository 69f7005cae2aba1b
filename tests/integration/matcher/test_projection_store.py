"""The matcher's member projection: idempotent, ordered, erasure-aware, replayable.

Run against SQLite and (when available) PostgreSQL.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from services.matcher.adapters.orm import members
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer.projection import apply_member_events
from shared.db import make_engine
from shared.events import (
    MatchingProfile,
    MemberErased,
    MemberEvent,
    MemberProfileUpdated,
    MemberRegistered,
)
from shared.migrations import upgrade


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng, MIGRATIONS)
    yield eng
    eng.dispose()


def registered(mid: str, site: str = "Lyon") -> MemberRegistered:
    return MemberRegistered(
        producer="t", member_id=mid, version=1, profile=MatchingProfile(site=site)
    )


def updated(mid: str, version: int, site: str) -> MemberProfileUpdated:
    return MemberProfileUpdated(
        producer="t", member_id=mid, version=version, profile=MatchingProfile(site=site)
    )


def apply(engine: Engine, *events: MemberEvent):
    return apply_member_events(UnitOfWork(engine), list(events))


def dump(engine: Engine) -> dict[str, tuple[int, dict]]:
    with engine.connect() as conn:
        return {r.id: (r.version, r.profile) for r in conn.execute(select(members))}


def test_the_same_event_delivered_twice_is_applied_once(engine: Engine) -> None:
    event = registered("a")
    first = apply(engine, event)
    again = apply(engine, event, event)
    assert (first.applied, again.applied, again.duplicates) == (1, 0, 2)
    assert dump(engine)["a"][0] == 1


def test_a_stale_version_arriving_late_is_discarded(engine: Engine) -> None:
    apply(engine, registered("b"), updated("b", 3, "Paris"))
    stats = apply(engine, updated("b", 2, "Lille"))
    assert stats.stale == 1
    assert dump(engine)["b"] == (3, MatchingProfile(site="Paris").model_dump(mode="json"))


def test_erasure_removes_the_member_and_no_stale_event_brings_them_back(engine: Engine) -> None:
    apply(engine, registered("c"), updated("c", 2, "Nantes"))
    apply(engine, MemberErased(producer="t", member_id="c", version=3))
    assert "c" not in dump(engine)
    stats = apply(engine, updated("c", 2, "Nantes"))
    assert stats.stale == 1 and "c" not in dump(engine)


def test_replaying_the_history_in_any_batching_rebuilds_an_identical_store(
    engine: Engine, tmp_path
) -> None:
    rng = random.Random(4)
    history: list[MemberEvent] = []
    versions: dict[str, int] = {}
    gone: set[str] = set()
    sites = ["Lyon", "Paris", "Lille", "Nantes", "Marseille"]
    for _ in range(400):
        mid = f"m{rng.randrange(60)}"
        if mid in gone:
            continue
        v = versions.get(mid, 0) + 1
        if v == 1:
            history.append(registered(mid, rng.choice(sites)))
        elif rng.random() < 0.08:
            history.append(MemberErased(producer="t", member_id=mid, version=v))
            gone.add(mid)
        else:
            history.append(updated(mid, v, rng.choice(sites)))
        versions[mid] = v
    # First pass: one event per transaction, with every event redelivered once.
    for e in history:
        apply(engine, e, e)
    expected = dump(engine)
    assert expected  # the history leaves members behind
    replica = make_engine(f"sqlite:///{tmp_path / 'replay.db'}")
    upgrade(replica, MIGRATIONS)
    for start in range(0, len(history), 37):
        apply(replica, *history[start : start + 37])
    assert dump(replica) == expected
