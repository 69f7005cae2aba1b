"""The health projection's store on SQLite and PostgreSQL: one fact per event id."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select

from services.matcher.adapters.orm import health_facts
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer.health import recompute, record_events
from services.matcher.service_layer.health_views import health_report
from services.matcher.service_layer.projection import apply_member_events
from shared.db import make_engine
from shared.events import (
    Explanation,
    MatchingProfile,
    MemberErased,
    MemberRegistered,
    MentoringPairMatched,
)
from shared.life_events import GroupSessionRecorded, MatchAccepted, MatchCheckinRequested
from shared.migrations import upgrade


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng, MIGRATIONS)
    yield eng
    eng.dispose()


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 10, tzinfo=UTC)


def test_each_event_is_recorded_once_and_the_report_matches_the_recomputation(engine: Engine):
    uow = UnitOfWork(engine)
    people = [
        MemberRegistered(producer="t", member_id=m, version=1, profile=MatchingProfile(site=s))
        for m, s in (("a", "Lyon"), ("b", "Paris"), ("c", "Paris"))
    ]
    apply_member_events(uow, people)
    pair = MentoringPairMatched(
        producer="t", match_id="m1", round_id="r1", mentor_id="a", mentee_id="b",
        explanation=Explanation(score=0.7), occurred_at=at(1),
    )  # fmt: skip
    life = [
        MatchAccepted(producer="t", match_id="m1", round_id="r1", kind="mentoring",
                      member_id="a", occurred_at=at(2)),
        MatchCheckinRequested(producer="t", match_id="m1", round_id="r1", kind="mentoring",
                              member_id="a", occurred_at=at(3)),
        GroupSessionRecorded(producer="t", match_id="g1", round_id="r2", kind="groups",
                             session_date=date(2026, 3, 9), attendee_ids=("b", "c"),
                             recorded_by="b", occurred_at=at(10)),
    ]  # fmt: skip
    assert record_events(uow, [pair, *life]) == 3  # a reminder or request is no fact
    assert record_events(uow, [pair, *life]) == 0
    report = health_report(uow, date(2026, 3, 1), date(2026, 3, 31))
    assert report == recompute([*people, pair, *life, *life], date(2026, 3, 1), date(2026, 3, 31))
    assert report.months[0].accepted == 1 and report.months[0].sessions == 1
    assert report.network.edges == 1


def test_an_erased_member_leaves_every_fact_even_one_that_arrives_after_the_erasure(
    engine: Engine,
):
    uow = UnitOfWork(engine)
    people = [
        MemberRegistered(producer="t", member_id=m, version=1, profile=MatchingProfile(site=s))
        for m, s in (("a", "Lyon"), ("b", "Paris"))
    ]
    apply_member_events(uow, people)
    pair = MentoringPairMatched(
        producer="t", match_id="m1", round_id="r1", mentor_id="a", mentee_id="b",
        explanation=Explanation(score=0.7), occurred_at=at(1),
    )  # fmt: skip
    record_events(uow, [pair])
    gone = MemberErased(producer="t", member_id="a", version=2, occurred_at=at(4))
    apply_member_events(uow, [gone])
    late = MatchAccepted(producer="t", match_id="m1", round_id="r1", kind="mentoring",
                         member_id="a", occurred_at=at(2))  # fmt: skip
    record_events(uow, [late])
    with engine.connect() as conn:
        stored = [(r.members, r.tables) for r in conn.execute(select(health_facts))]
    assert stored and all("a" not in members for members, _ in stored)
    report = health_report(uow, date(2026, 3, 1), date(2026, 3, 31))
    assert report == recompute([*people, pair, gone, late], date(2026, 3, 1), date(2026, 3, 31))
    assert report.months[0].accepted == 0 and report.fairness[0].site == "Paris"
