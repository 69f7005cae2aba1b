"""An automatic repair the matcher's stop interrupted resumes after the restart, over a
real nats-server: the timer worker finds the departure unrepaired and repairs it once,
however often the matcher starts again."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Any

import pytest

from services.matcher import db_url
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.main import create_app as matcher_app
from shared.db import make_engine
from shared.settings import Settings
from tests.integration.matcher.test_departures_resume import crash_between_recording_and_repairing
from tests.matcher_support import community, propose_round, publish_all, wait_projected
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats


async def repairs_of(client: Any, hr: dict[str, str], round_id: str) -> dict[str, Any]:
    r = await client.get(f"/rounds/{round_id}/repairs", headers=hr)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


@pytest.mark.parametrize(
    "lease", [timedelta(0), -timedelta(seconds=1)], ids=["unclaimed", "expired"]
)
async def test_an_automatic_repair_interrupted_by_a_stop_resumes_once_after_the_restart(
    make_settings: Any, nats_server: Any, lease: timedelta
) -> None:
    settings: Settings = make_settings(life_timer_poll_s=0.05)
    tag, hr = uuid.uuid4().hex[:6], bearer(settings, "hr", "coordinator")
    people = community(9, tag)
    body = {"client_request_id": f"resume-{tag}", "kind": "mentoring",
            "parameters": {"auto_repair": True}}  # fmt: skip
    async with running(matcher_app(settings)) as m:
        await publish_all(nats_server.url, people)
        await wait_projected(m, hr, len(people), [p.member_id for p in people])
        round_id, _ = await propose_round(m, hr, body)
        assert (await m.post(f"/rounds/{round_id}/publish", headers=hr)).status_code == 200
        pair = (await m.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"][0]
    mentor = pair["members"][0]
    engine = make_engine(db_url(settings))
    try:  # the matcher stopped after recording the departure, before repairing it
        crash_between_recording_and_repairing(UnitOfWork(engine), round_id, mentor, lease)
    finally:
        engine.dispose()
    for _ in range(2):  # started twice: the second start repairs nothing again
        async with running(matcher_app(settings)) as m:

            async def repaired() -> bool:
                return bool((await repairs_of(m, hr, round_id))["repairs"])

            await eventually(repaired, timeout=30)
            await asyncio.sleep(0.3)  # a few more ticks of the timer worker
            found = await repairs_of(m, hr, round_id)
            matches = (await m.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
    assert found["revision"] == 1 and len(found["repairs"]) == 1
    assert found["repairs"][0]["reason"] == "declined"
    assert [(d["member_id"], d["repaired_in"]) for d in found["departures"]] == [(mentor, 1)]
    assert all(mentor not in x["members"] for x in matches)
