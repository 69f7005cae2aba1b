"""Round operations: requested by event, export, remove/lock, erasure, look-back."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import nats
import pytest
from sqlalchemy import update

from services.matcher.adapters.orm import history
from shared.events import MemberErased, MemberProfileUpdated, RoundRequested
from tests.matcher_support import propose_round, publish_all, wait_state
from tests.support import eventually

pytestmark = pytest.mark.nats


async def test_a_round_requested_by_event_is_created_once_and_computed(
    matcher_env, nats_server
) -> None:
    async with matcher_env(20) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        event = RoundRequested(
            producer="hr-tool", client_request_id=f"ev-{tag}", kind="groups", name="Par événement"
        )
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        for _ in range(2):  # the same request twice: one round
            await js.publish(event.subject, event.model_dump_json().encode())
        await nc.close()

        async def created() -> list[dict]:
            rounds = (await matcher.get("/rounds", headers=hr)).json()["items"]
            return [r for r in rounds if r["client_request_id"] == f"ev-{tag}"]

        found = await eventually(created)
        assert len(found) == 1  # type: ignore[arg-type]
        await wait_state(matcher, found[0]["id"], hr, "proposed")  # type: ignore[index]
        assert len(await created()) == 1


async def test_remove_lock_export_and_erasure_keep_the_proposal_consistent(
    matcher_env, nats_server
) -> None:
    async with matcher_env(30, seed=4) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        body = {"client_request_id": f"ops-{tag}", "kind": "mentoring"}
        rid, _ = await propose_round(matcher, hr, body)
        pairs = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
        keep, drop = pairs[0], pairs[1]

        lock = {"adjustment": {"action": "lock", "match_id": keep["id"]}}
        assert (await matcher.post(f"/rounds/{rid}/adjustments", json=lock, headers=hr)).is_success
        gone = drop["members"][1]  # a mentee
        remove = {"adjustment": {"action": "remove", "member_id": gone}}
        after = await matcher.post(f"/rounds/{rid}/adjustments", json=remove, headers=hr)
        assert after.status_code == 200, after.text
        assert [a["action"] for a in after.json()["adjustments"]] == ["lock", "remove"]
        now = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
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
            found = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
            return all(erased not in m["members"] for m in found)

        await eventually(forgotten)


async def test_pairs_older_than_the_look_back_may_meet_again(matcher_env) -> None:
    async with matcher_env(12, seed=5) as env:
        matcher, hr, tag, app = env.client, env.hr, env.tag, env.app
        params = {"table_size": 4, "rounds": 1}
        first = {"client_request_id": f"lb-{tag}-0", "kind": "rotations", "parameters": params}
        rid, _ = await propose_round(matcher, hr, first)
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
            _, done = await propose_round(matcher, hr, body)
            history_pairs = done["report"]["figures"]["repeated_encounters"]
            if lookback is None:
                # forever: 12 people at 3 tables of 4 must repeat some pairs of round 1
                assert history_pairs > 0
            else:
                assert history_pairs == 0


async def test_a_seminar_is_replanned_after_two_rounds_keeping_the_rounds_held(
    matcher_env, nats_server
) -> None:
    async with matcher_env(24, seed=6) as env:
        matcher, hr, tag, people = env.client, env.hr, env.tag, env.people
        params = {"table_size": 4, "rounds": 4}
        body = {"client_request_id": f"sem-{tag}", "kind": "rotations", "parameters": params}
        rid, _ = await propose_round(matcher, hr, body)
        await matcher.post(f"/rounds/{rid}/publish", headers=hr)
        old = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]

        leavers = [p.member_id for p in people[:3]]
        no_seminar = {"seminars": False}
        updates = [
            MemberProfileUpdated(
                producer="t",
                member_id=e.member_id,
                version=2,
                profile=e.profile.model_copy(
                    update={"opt_ins": e.profile.opt_ins.model_copy(update=no_seminar)}
                ),
            )
            for e in people[:3]
        ]
        await publish_all(nats_server.url, updates)  # type: ignore[arg-type]

        async def left() -> bool:
            r = await matcher.get(f"/members/{leavers[-1]}", headers=hr)
            return r.json()["version"] == 2

        await eventually(left)
        again = {
            "client_request_id": f"sem-{tag}-replan",
            "kind": "rotations",
            "parameters": {**params, "replan_of": rid, "past_rounds": 2},
        }
        new_id, done = await propose_round(matcher, hr, again)
        assert done["report"]["figures"]["repeated_encounters"] == 0
        new = (await matcher.get(f"/rounds/{new_id}/matches", headers=hr)).json()["items"]

        def seats(found: list[dict], rnd: int) -> set[tuple[int, frozenset[str]]]:
            tables: dict[int, set[str]] = {}
            for m in found:
                for s in m["data"]["seats"]:
                    if s["seminar_round"] == rnd:
                        tables.setdefault(s["table"], set()).add(m["members"][0])
            return {(t, frozenset(v)) for t, v in tables.items()}

        assert seats(new, 0) == seats(old, 0) and seats(new, 1) == seats(old, 1)
        later = {m for _, table in seats(new, 2) | seats(new, 3) for m in table}
        assert later == {p.member_id for p in people} - set(leavers)
