"""Durable timers on a real database: each fires once, whoever races for it."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from services.matcher.adapters.orm import outbox
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.life import Participation
from services.matcher.domain.timers import life_timers
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer import life
from shared.db import make_engine
from shared.migrations import upgrade

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def scheduled(db_url: str, members: int) -> UnitOfWork:
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    uow = UnitOfWork(engine)
    people = [
        Participation(f"match-{i // 2}", "round-1", "mentoring", f"m{i}", T0 + 7 * DAY)
        for i in range(members)
    ]
    timers = life_timers(T0, 7, 14)
    with uow.begin() as store:
        store.life.add(people, [(p.match_id, p.member_id, t) for p in people for t in timers])
    return uow


def outbox_rows(uow: UnitOfWork) -> list[str]:
    with uow.engine.connect() as conn:
        return list(conn.execute(select(outbox.c.event_id)).scalars())


def test_a_due_timer_fires_once_however_often_the_loop_runs(db_url: str) -> None:
    uow = scheduled(db_url, 4)
    assert life.fire_due(uow, T0 + DAY) == 0
    assert life.fire_due(uow, T0 + 3 * DAY) == 4  # the first reminder of each
    assert life.fire_due(uow, T0 + 3 * DAY) == 0
    assert life.fire_due(uow, T0 + 5 * DAY) == 4  # the second reminder
    assert life.fire_due(uow, T0 + 8 * DAY) == 4  # no answer
    assert len(outbox_rows(uow)) == 12 == len(set(outbox_rows(uow)))
    with uow.begin() as store:
        assert {p.state for p in store.life.of_round("round-1")} == {"unanswered"}
    uow.engine.dispose()


def test_two_workers_racing_for_the_same_timers_fire_each_once(db_url: str) -> None:
    uow = scheduled(db_url, 40)  # 40 members x 3 response timers due
    other = UnitOfWork(make_engine(db_url))
    claimed: list[int] = []
    start = threading.Barrier(2)

    def work(unit: UnitOfWork) -> None:
        start.wait()
        claimed.append(life.fire_due(unit, T0 + 8 * DAY, limit=500))

    threads = [threading.Thread(target=work, args=(u,)) for u in (uow, other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = outbox_rows(uow)
    # 40 members x 3 timers claimed; the reminders overtaken by the deadline stay silent
    assert sum(claimed) == 120 and len(rows) == len(set(rows)) == 40
    with uow.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 40
    uow.engine.dispose()
    other.engine.dispose()


def test_after_a_downtime_only_the_latest_due_timer_of_a_thread_speaks(db_url: str) -> None:
    uow = scheduled(db_url, 2)
    assert life.fire_due(uow, T0 + 22 * DAY) == 2 * 5  # 3 response timers, 2 check-in ones
    with uow.begin() as store:
        assert {p.state for p in store.life.of_round("round-1")} == {"unanswered"}
    assert len(outbox_rows(uow)) == 2  # one "no answer" each; no check-in (not accepted)
    uow.engine.dispose()


def test_an_erased_member_leaves_no_answer_nor_timer_behind(db_url: str) -> None:
    uow = scheduled(db_url, 2)
    with uow.begin() as store:
        store.life.forget_member("m0")
    with uow.begin() as store:
        assert [p.member_id for p in store.life.of_round("round-1")] == ["m1"]
    assert life.fire_due(uow, T0 + 3 * DAY) == 1  # m1's first reminder only
    uow.engine.dispose()
