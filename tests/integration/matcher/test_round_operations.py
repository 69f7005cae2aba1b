"""Round operations: requested by event, export, remove/lock, erasure, look-back."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import nats
import pytest
from sqlalchemy import update

from services.matcher.main import create_app as matcher_app
from services.matcher.orm import history
from shared.events import MemberErased, RoundRequested
from tests.matcher_support import community, publish_all, wait_state
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats


async def _ready(matcher, hr, n: int) -> None:  # type: ignore[no-untyped-def]
    async def projected() -> bool:
        return (await matcher.get("/members/count", headers=hr)).json()["members"] >= n

    await eventually(projected)


async def test_a_round_requested_by_event_is_created_once_and_computed(
    make_settings, nats_server
) -> None:
    settings = make_settings()
    tag = uuid.uuid4().hex[:6]
    hr = bearer(settings, "hr", "coordinator")
    async with running(matcher_app(settings)) as matcher:
        await publish_all(nats_server.url, community(20, tag))
        await _ready(matcher, hr, 20)
        event = RoundRequested(
            producer="hr-tool", client_request_id=f"ev-{tag}", kind="groups", name="Par événement"
        )
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        for _ in range(2):  # the same request twice: one round
            await js.publish(event.subject, event.model_dump_json().encode())
        await nc.close()

        async def created() -> list[dict]:
            rounds = (await matcher.get("/rounds", headers=hr)).json()
            return [r for r in rounds if r["client_request_id"] == f"ev-{tag}"]

        found = await eventually(created)
        assert len(found) == 1  # type: ignore[arg-type]
        await wait_state(matcher, found[0]["id"], hr, "proposed")  # type: ignore[index]
        assert len(await created()) == 1


async def test_remove_lock_export_and_erasure_keep_the_proposal_consistent(
    make_settings, nats_server
) -> None:
    settings = make_settings()
    tag = uuid.uuid4().hex[:6]
    hr = bearer(settings, "hr", "coordinator")
    async with running(matcher_app(settings)) as matcher:
        await publish_all(nats_server.url, community(30, tag, seed=4))
        await _ready(matcher, hr, 30)
        body = {"client_request_id": f"ops-{tag}", "kind": "mentoring"}
        rid = (await matcher.post("/rounds", json=body, headers=hr)).json()["id"]
        await wait_state(matcher, rid, hr, "proposed")
        pairs = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()
        keep, drop = pairs[0], pairs[1]

        lock = {"adjustment": {"action": "lock", "match_id": keep["id"]}}
        assert (await matcher.post(f"/rounds/{rid}/adjustments", json=lock, headers=hr)).is_success
        gone = drop["members"][1]  # a mentee
        remove = {"adjustment": {"action": "remove", "member_id": gone}}
        after = await matcher.post(f"/rounds/{rid}/adjustments", json=remove, headers=hr)
        assert after.status_code == 200, after.text
        assert [a["action"] for a in after.json()["adjustments"]] == ["lock", "remove"]
        now = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()
        assert all(gone not in m["members"] for m in now)
        assert any(m["members"] == keep["members"] and m["locked"] for m in now)

        exported = await matcher.get(f"/rounds/{rid}/export?format=csv", headers=hr)
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert len(rows) == len(now) and rows[0]["score"]

        erased = keep["members"][1]
        nc = await nats.connect(nats_server.url)
        event = MemberErased(producer="profiles", member_id=erased, version=99)
        await nc.jetstream().publish(event.subject, event.model_dump_json().encode())
        await nc.close()

        async def forgotten() -> bool:
            found = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()
            return all(erased not in m["members"] for m in found)

        await eventually(forgotten)


async def test_pairs_older_than_the_look_back_may_meet_again(make_settings, nats_server) -> None:
    settings = make_settings()
    tag = uuid.uuid4().hex[:6]
    hr = bearer(settings, "hr", "coordinator")
    app = matcher_app(settings)
    async with running(app) as matcher:
        await publish_all(nats_server.url, community(12, tag, seed=5))
        await _ready(matcher, hr, 12)
        params = {"table_size": 4, "rounds": 1}
        first = {"client_request_id": f"lb-{tag}-0", "kind": "rotations", "parameters": params}
        rid = (await matcher.post("/rounds", json=first, headers=hr)).json()["id"]
        await wait_state(matcher, rid, hr, "proposed")
        await matcher.post(f"/rounds/{rid}/publish", headers=hr)
        old = datetime.now(UTC) - timedelta(days=400)
        with app.state.engine.begin() as conn:  # that seminar was more than a year ago
            conn.execute(update(history).values(met_at=old))

        for n, lookback in ((1, 365), (2, None)):
            body = {
                "client_request_id": f"lb-{tag}-{n}",
                "kind": "rotations",
                "parameters": {**params, "lookback_days": lookback},
            }
            r = (await matcher.post("/rounds", json=body, headers=hr)).json()["id"]
            done = await wait_state(matcher, r, hr, "proposed")
            history_pairs = done["report"]["figures"]["repeated_encounters"]
            if lookback is None:
                # forever: 12 people at 3 tables of 4 must repeat some pairs of round 1
                assert history_pairs > 0
            else:
                assert history_pairs == 0
