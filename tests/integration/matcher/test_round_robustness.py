"""No round is ever stuck: bounded parameters, checked references, failures and dead workers."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.domain.parameters import parse
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer import computation
from services.matcher.service_layer.rounds import RoundRequest, create_round, get_round
from shared.db import make_engine
from shared.events import RoundScope
from shared.migrations import upgrade
from tests.support import eventually


@pytest.fixture
def uow(db_url: str) -> Iterator[UnitOfWork]:
    eng: Engine = make_engine(db_url)
    upgrade(eng, MIGRATIONS)
    yield UnitOfWork(eng)
    eng.dispose()


def a_round(uow: UnitOfWork, name: str = "r") -> str:
    request = RoundRequest(name, "groups", name, RoundScope(), parse("groups", {}))
    return create_round(uow, request, "hr")[0].id


def test_a_worker_that_died_is_taken_over_once_its_lease_lapses(uow: UnitOfWork) -> None:
    rid = a_round(uow)
    t0 = datetime.now(UTC)
    lease = timedelta(seconds=20)
    assert computation.claim_next(uow, lease, now=t0) == rid  # this worker then dies
    assert computation.claim_next(uow, lease, now=t0 + timedelta(seconds=19)) is None
    assert computation.claim_next(uow, lease, now=t0 + timedelta(seconds=21)) == rid


def test_a_computing_worker_keeps_its_lease_by_heartbeat(uow: UnitOfWork, monkeypatch) -> None:
    rid = a_round(uow)
    lease = timedelta(seconds=0.6)
    assert computation.claim_next(uow, lease) == rid
    release = threading.Event()

    def slow(inputs, progress):  # an algorithm computing for longer than its lease
        release.wait(10)
        raise RuntimeError("stopped by the test")

    monkeypatch.setattr(computation.FORMATS["groups"], "propose", slow)
    worker = threading.Thread(target=_run_quietly, args=(uow, rid, lease))
    worker.start()
    try:
        for _ in range(4):
            time.sleep(0.5)
            assert computation.claim_next(uow, lease) is None  # still leased by the live worker
    finally:
        release.set()
        worker.join()


def _run_quietly(uow: UnitOfWork, rid: str, lease: timedelta) -> None:
    with contextlib.suppress(RuntimeError):
        computation.run_round(uow, rid, lease=lease)


def test_loading_that_raises_marks_the_round_failed_at_once(uow: UnitOfWork, monkeypatch) -> None:
    rid = a_round(uow)
    assert computation.claim_next(uow) == rid

    def overflow(*args, **kwargs):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(computation, "load_inputs", overflow)
    with pytest.raises(OverflowError):
        computation.run_round(uow, rid)
    failed = get_round(uow, rid)
    assert (failed.state, failed.error) == ("failed", "internal_error")
    assert computation.claim_next(uow, now=datetime.now(UTC) + timedelta(hours=1)) is None


@pytest.mark.nats
async def test_bad_parameters_and_references_are_refused_with_422(matcher_env) -> None:
    async with matcher_env(12, seed=2) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        groups_round = {"client_request_id": f"g-{tag}", "kind": "groups"}
        gid = (await matcher.post("/rounds", json=groups_round, headers=hr)).json()["id"]
        bad = [
            ("groups", {"lookback_days": 10**9}),
            ("groups", {"seed": -1}),
            ("groups", {"weights": {"cohesion": 1e300}}),
            ("mentoring", {"min_score": 1e308}),
            ("rotations", {"rounds": 2, "past_rounds": 10**6}),
            ("rotations", {"replan_of": "no-such-round", "past_rounds": 1}),
            ("rotations", {"replan_of": gid, "past_rounds": 1}),
            ("groups", {"forbidden_pairs": [["a" * 65, "b"]]}),
        ]
        for n, (kind, parameters) in enumerate(bad):
            body = {"client_request_id": f"bad-{tag}-{n}", "kind": kind, "parameters": parameters}
            answer = await matcher.post("/rounds", json=body, headers=hr)
            assert answer.status_code == 422, (parameters, answer.text)
            assert answer.json()["detail"], answer.text
        rounds = (await matcher.get("/rounds", headers=hr)).json()["items"]
        assert [r["id"] for r in rounds] == [gid]


@pytest.mark.nats
async def test_a_round_whose_algorithm_raises_is_failed_at_once(matcher_env, monkeypatch) -> None:
    def boom(inputs, progress):
        raise OverflowError("int too large to convert to float")

    monkeypatch.setattr(computation.FORMATS["groups"], "propose", boom)
    async with matcher_env(12, seed=3) as env:
        body = {"client_request_id": f"boom-{env.tag}", "kind": "groups"}
        rid = (await env.client.post("/rounds", json=body, headers=env.hr)).json()["id"]

        async def failed() -> dict | None:
            found = (await env.client.get(f"/rounds/{rid}", headers=env.hr)).json()
            return found if found["state"] == "failed" else None

        found = await eventually(failed, timeout=5)
        assert found["error"] == "internal_error"  # type: ignore[index]
