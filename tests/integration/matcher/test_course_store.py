"""A mentorship's course on a real database (SQLite, and PostgreSQL when available): it
ends after its months with one closing and one survey per person, whoever races to close
it; erasure takes a member's survey and their place in the course."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from services.matcher.adapters.orm import history, outbox
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.parameters import parse
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer import closing, life
from shared.db import make_engine
from shared.events import MentoringPairMatched
from shared.migrations import upgrade
from shared.pagination import PageRequest

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def published(db_url: str, months: int = 6) -> UnitOfWork:
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    uow = UnitOfWork(engine)
    pairs = [MentoringPairMatched(producer="t", match_id=f"p{i}", round_id="r1",
                                  mentor_id=f"mentor{i}", mentee_id=f"mentee{i}")
             for i in range(3)]  # fmt: skip
    with uow.begin() as store:
        store.life.conn.execute(insert(history), [  # as publication writes them
            {"round_id": "r1", "member_a": f"mentee{i}", "member_b": f"mentor{i}",
             "kind": "mentoring", "met_at": T0} for i in range(3)])  # fmt: skip
        params = parse("mentoring", {"duration_months": months})
        closing.schedule_courses(store, "mentoring", params, pairs, T0)
    return uow


def types(uow: UnitOfWork) -> Counter[str]:
    with uow.engine.connect() as conn:
        found = conn.execute(select(outbox.c.subject)).scalars()
        return Counter(str(s).removeprefix("entraide.life.") for s in found)


def test_a_mentorship_closes_once_at_its_end_and_surveys_both(db_url: str) -> None:
    uow = published(db_url)
    assert life.fire_due(uow, T0 + 150 * DAY) == 0  # nothing before six months
    end = T0 + 190 * DAY
    closing.close(uow, "p1", end - DAY)  # a coordinator closes one pair a day earlier
    assert life.fire_due(uow, end) == 3  # the end timer of each pair
    assert life.fire_due(uow, end) == 0
    got = types(uow)
    assert got["match.closed"] == 3 and got["match.feedback_requested"] == 6
    assert closing.course(uow, "p1", None).closed_reason == "coordinator"
    assert closing.course(uow, "p0", "mentor0").closed_reason == "completed"
    with uow.engine.connect() as conn:
        met = dict(conn.execute(select(history.c.member_a, history.c.met_at)).all())
    assert met["mentee0"] == end and met["mentee1"] == end - DAY  # dated from the closing
    reminded = life.fire_due(uow, end + 8 * DAY)
    assert reminded == 6 and types(uow)["match.feedback_requested"] == 12
    closing.give_feedback(uow, "p0", "mentee0", 4, True, "pour les RH", end + 9 * DAY)
    life.fire_due(uow, end + 15 * DAY)  # the second reminder: not to who answered
    assert types(uow)["match.feedback_requested"] == 17


def test_erasure_takes_the_survey_and_the_place_in_the_course(db_url: str) -> None:
    from services.matcher.service_layer.projection import apply_member_events
    from shared.events import MemberErased

    uow = published(db_url, months=1)
    life.fire_due(uow, T0 + 40 * DAY)
    apply_member_events(uow, [MemberErased(producer="t", member_id="mentee2", version=9)])
    assert closing.feedback_of(uow, "p2", "mentee2") == []
    assert closing.course(uow, "p2", None).member_ids == ("mentor2",)
    assert len(closing.feedback_of(uow, "p2", None)) == 1


def test_a_rounds_surveys_come_a_page_at_a_time_by_match_then_member(db_url: str) -> None:
    uow = published(db_url)
    for pair in ("p2", "p0"):
        closing.close(uow, pair, T0 + DAY)
    closing.give_feedback(uow, "p2", "mentee2", 4, True, "pour les RH", T0 + 2 * DAY)
    with uow.begin() as store:
        first, total = store.closing.of_round("r1", PageRequest(limit=3, offset=0))
        rest, again = store.closing.of_round("r1", PageRequest(limit=3, offset=3))
        other, none = store.closing.of_round("r2", PageRequest())
    assert (total, again, none, other) == (4, 4, 0, [])
    assert [(f.match_id, f.member_id) for f in first + rest] == [
        ("p0", "mentee0"), ("p0", "mentor0"), ("p2", "mentee2"), ("p2", "mentor2")]  # fmt: skip
    answered = first[2]
    assert (answered.satisfaction, answered.would_recommend, answered.comment) == (
        4, True, "pour les RH")  # fmt: skip
    assert rest[0].answered_at is None and rest[0].satisfaction is None
