"""Group commit (issue 14): many writers share commits, each keeps its own outcome."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text

from shared import group_commit
from shared.db import make_engine
from shared.wal_checkpoint import FALLBACK_PAGES

metadata = MetaData()
rows = Table("rows", metadata, Column("id", Integer, primary_key=True), Column("who", String(20)))


class Refused(Exception):
    pass


@pytest.fixture
def engine(tmp_path: Path):
    eng = make_engine(f"sqlite:///{tmp_path / 'g.db'}", synchronous="FULL")
    metadata.create_all(eng)
    yield eng
    eng.dispose()


def test_every_writer_gets_its_own_result_once_its_row_is_committed(engine) -> None:
    results: dict[int, int] = {}

    def write(k: int) -> None:
        def work(conn):
            conn.execute(insert(rows).values(id=k, who=f"w{k}"))
            return k * 10

        results[k] = group_commit.run(engine, work)
        with engine.connect() as other:  # another connection sees it: it is committed
            assert other.execute(select(rows.c.who).where(rows.c.id == k)).scalar_one() == f"w{k}"

    threads = [threading.Thread(target=write, args=(k,)) for k in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {k: k * 10 for k in range(40)}
    writer = group_commit.writer(engine)
    assert writer.units == 40 and 1 <= writer.commits <= 40


def test_a_failing_unit_undoes_only_its_own_changes_and_raises_its_own_error(engine) -> None:
    barrier = threading.Barrier(3)
    outcomes: dict[str, object] = {}

    def unit(name: str, fail: bool):
        def work(conn):
            conn.execute(insert(rows).values(who=name))
            conn.execute(insert(rows).values(who=name))
            if fail:
                raise Refused(name)
            return name

        return work

    def call(name: str, fail: bool) -> None:
        barrier.wait()
        try:
            outcomes[name] = group_commit.run(engine, unit(name, fail))
        except Refused as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=call, args=(n, n == "bad")) for n in ("a", "bad", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes["a"] == "a" and outcomes["b"] == "b"
    assert isinstance(outcomes["bad"], Refused)
    with engine.connect() as conn:
        counts = dict(conn.execute(select(rows.c.who, func.count()).group_by(rows.c.who)).all())
    assert counts == {"a": 2, "b": 2}


def test_a_unit_can_use_its_own_savepoints_and_later_units_still_commit(engine) -> None:
    def nested(conn):
        with conn.begin_nested():
            conn.execute(insert(rows).values(who="inner"))
        return "ok"

    assert group_commit.run(engine, nested) == "ok"
    assert (
        group_commit.run(engine, lambda conn: conn.execute(insert(rows).values(who="x")).rowcount)
        == 1
    )
    with engine.connect() as conn:
        assert sorted(conn.execute(select(rows.c.who)).scalars()) == ["inner", "x"]


def test_commits_are_on_disk_before_the_answer_with_synchronous_full(engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_an_in_memory_database_runs_units_in_the_callers_transaction() -> None:
    eng = make_engine("sqlite://")
    metadata.create_all(eng)
    assert not group_commit.grouped(eng)
    assert (
        group_commit.run(eng, lambda conn: conn.execute(insert(rows).values(who="m")).rowcount) == 1
    )
    eng.dispose()


def test_an_unknown_synchronous_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="FULL or NORMAL"):
        make_engine("sqlite://", synchronous="OFF")


def test_the_writer_leaves_wal_checkpoints_to_a_thread_of_its_own(engine) -> None:
    # 600 commits: SQLite's own auto-checkpoint would run inside one of them (while
    # every queued writer waits); here a background thread copies the log back
    for k in range(300):
        group_commit.run(engine, lambda conn, k=k: conn.execute(insert(rows).values(who=str(k))))
        group_commit.run(
            engine, lambda conn: conn.exec_driver_sql("UPDATE rows SET who = who || ''")
        )
    checkpointer = group_commit.writer(engine).checkpointer
    deadline = time.monotonic() + 10
    while checkpointer.frames == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert checkpointer.runs >= 1 and checkpointer.frames > 0
    pages = group_commit.run(
        engine, lambda conn: conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
    )
    assert pages == FALLBACK_PAGES
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(rows)).scalar_one() == 300


def test_a_memo_lives_as_long_as_one_groups_transaction(engine) -> None:
    seen: list[dict[str, object] | None] = []

    def remember(conn):
        memo = group_commit.memo(conn)
        seen.append(None if memo is None else dict(memo))
        if memo is not None:
            memo["key"] = "kept for the next units of this group"

    group_commit.run(engine, remember)
    group_commit.run(engine, remember)  # another group: it starts empty again
    assert seen == [{}, {}]
    with engine.begin() as conn:  # outside a group commit there is none
        assert group_commit.memo(conn) is None


def test_units_of_one_group_share_its_memo(engine) -> None:
    writer = group_commit.writer(engine)
    seen: list[object] = []
    running, release = threading.Event(), threading.Event()

    def first(conn):
        running.set()
        release.wait(5)  # the next units queue meanwhile: they form the next group
        return None

    def remember(k: int):
        def work(conn):
            memo = group_commit.memo(conn)
            assert memo is not None
            seen.append(memo.get("first"))
            memo.setdefault("first", k)

        return work

    blocker = writer.submit(first)
    assert running.wait(5)
    futures = [writer.submit(remember(k)) for k in range(5)]
    release.set()
    blocker.result(5)
    for future in futures:
        future.result(5)
    assert seen[0] is None and len(set(seen[1:])) == 1 and seen[1] is not None


def test_an_event_loops_callers_get_their_outcomes_and_one_that_gave_up_stops_no_other(
    engine,
) -> None:
    writer = group_commit.writer(engine)
    running, release = threading.Event(), threading.Event()

    def first(conn):
        running.set()
        release.wait(5)  # the units below queue meanwhile: they form one group

    def unit(who: str, fail: bool = False):
        def work(conn):
            conn.execute(insert(rows).values(who=who))
            if fail:
                raise Refused(who)
            return who

        return work

    async def main() -> list[object]:
        blocker = writer.submit(first)
        assert await asyncio.to_thread(running.wait, 5)
        waiting = [
            asyncio.ensure_future(group_commit.run_async(engine, unit(w, fail=w == "b")))
            for w in "abcd"
        ]
        await asyncio.sleep(0)  # every unit is queued
        waiting[2].cancel()  # "c" gives up waiting: its unit still runs and commits
        release.set()
        await asyncio.to_thread(blocker.result, 5)
        return await asyncio.gather(*waiting, return_exceptions=True)

    outcomes = asyncio.run(main())
    assert outcomes[0] == "a" and outcomes[3] == "d"
    assert isinstance(outcomes[1], Refused) and isinstance(outcomes[2], asyncio.CancelledError)
    with engine.connect() as conn:
        assert sorted(conn.execute(select(rows.c.who)).scalars()) == ["a", "c", "d"]
