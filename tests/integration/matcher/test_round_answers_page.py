"""A round's answers for one page of its matches: counts from one aggregate, people of
that page only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.matcher.adapters.orm import rounds
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.life import Participation
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer import life
from shared.db import make_engine
from shared.migrations import upgrade

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def published(db_url: str) -> UnitOfWork:
    """Two published rounds of three pairs each; in r1, m0 accepted, m1 declined."""
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    uow = UnitOfWork(engine)
    with uow.begin() as store:
        store.rounds.conn.execute(rounds.insert(), [
            {"id": r, "client_request_id": r, "kind": "mentoring", "name": r,
             "state": "published", "progress": 1.0, "step": "published", "scope": {},
             "parameters": {}, "requested_by": "hr", "report": {}, "adjustments": [],
             "lease_until": None, "error": None, "created_at": T0, "updated_at": T0}
            for r in ("r1", "r2")
        ])  # fmt: skip
        people = [
            Participation(f"{r}-m{i}", r, "mentoring", f"{r}-p{i}-{j}", T0 + timedelta(days=7))
            for r in ("r1", "r2")
            for i in range(3)
            for j in range(2)
        ]
        store.life.add(people, [])
    life.answer(uow, "r1-m0", "r1-p0-0", True, None, T0)
    life.answer(uow, "r1-m1", "r1-p1-1", False, "not_available", T0)
    return uow


def test_a_page_of_matches_gets_its_own_answers_and_the_round_its_totals(db_url: str) -> None:
    uow = published(db_url)
    total, page = life.round_answers(uow, "r1", ["r1-m1", "r1-m2", "r2-m0", "elsewhere"])
    assert dict(total) == {"accepted": 1, "declined": 1, "pending": 4, "unanswered": 0}
    assert {m.match_id: dict(m.counts) for m in page} == {
        "r1-m1": {"declined": 1, "pending": 1}, "r1-m2": {"pending": 2},
    }  # fmt: skip  # another round's match is not this round's
    assert [p.member_id for p in page[0].people] == ["r1-p1-0", "r1-p1-1"]
    uow.engine.dispose()


def test_without_a_page_every_match_of_the_round_is_answered_for(db_url: str) -> None:
    uow = published(db_url)
    total, every = life.round_answers(uow, "r1")
    assert [m.match_id for m in every] == ["r1-m0", "r1-m1", "r1-m2"]
    assert sum(total.values()) == 6
    assert life.round_answers(uow, "r2", [])[1] == []
    uow.engine.dispose()
