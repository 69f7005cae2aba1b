"""``POST /rounds/{id}/repair`` over HTTP: coordinators only, published rounds only, bad
bodies refused with a message a person understands, the policy honoured on erasure."""

from __future__ import annotations

import nats
import pytest

from shared.events import MemberErased
from tests.matcher_support import propose_round
from tests.support import bearer, eventually

pytestmark = pytest.mark.nats


async def test_repair_is_refused_before_publication_and_to_members_and_bad_bodies(
    matcher_env,
) -> None:
    async with matcher_env(18, seed=3) as env:
        matcher, hr = env.client, env.hr
        rid, _ = await propose_round(matcher, hr, {"client_request_id": f"rh-{env.tag}",
                                                   "kind": "mentoring"})  # fmt: skip
        url = f"/rounds/{rid}/repair"
        early = await matcher.post(url, json={"departed": [f"{env.tag}-1"]}, headers=hr)
        assert early.status_code == 409 and early.json()["code"] == "round_invalid_transition"
        member = bearer(env.settings, f"{env.tag}-1")
        assert (await matcher.post(url, json={}, headers=member)).status_code == 403
        bad = await matcher.post(url, json={"reason": "bored"}, headers=hr)
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"].endswith("reason")
        missing = await matcher.post("/rounds/nope/repair", json={}, headers=hr)
        assert missing.status_code == 404
        assert (await matcher.post(f"/rounds/{rid}/publish", headers=hr)).is_success
        nothing = await matcher.post(url, json={}, headers=hr)
        assert nothing.status_code == 422 and nothing.json()["code"] == "repair_nothing_to_do"
        assert "rien à réparer" in nothing.json()["detail"]
        stranger = await matcher.post(url, json={"departed": ["nobody"]}, headers=hr)
        assert stranger.status_code == 422
        assert stranger.json()["errors"][0]["field"] == "departed"
        assert "nobody" in stranger.json()["detail"]


async def test_with_auto_repair_an_erased_member_is_repaired_away_without_the_coordinator(
    matcher_env, nats_server
) -> None:
    async with matcher_env(18, seed=5) as env:
        matcher, hr = env.client, env.hr
        body = {"client_request_id": f"ra-{env.tag}", "kind": "groups",
                "parameters": {"auto_repair": True, "target_size": 6}}  # fmt: skip
        rid, _ = await propose_round(matcher, hr, body)
        assert (await matcher.post(f"/rounds/{rid}/publish", headers=hr)).is_success
        groups = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
        erased = groups[0]["members"][0]
        nc = await nats.connect(nats_server.url)
        event = MemberErased(producer="profiles", member_id=erased, version=99)
        await nc.jetstream().publish(event.subject, event.model_dump_json().encode())
        await nc.close()

        async def repaired() -> dict | None:
            found = (await matcher.get(f"/rounds/{rid}/repairs", headers=hr)).json()
            return found if found["revision"] == 1 else None

        found = await eventually(repaired, timeout=30)
        assert found["auto_repair"] and found["repairs"][0]["reason"] == "erased"  # type: ignore[index]
        assert found["departures"] == []  # type: ignore[index]  # the tombstone names nobody
        after = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
        assert all(erased not in g["members"] and "~erased" not in g["members"] for g in after)
        ended = set(found["repairs"][0]["ended_match_ids"])  # type: ignore[index]
        assert groups[0]["id"] in ended
        now = {g["id"]: g["members"] for g in after}
        assert all(now.get(g["id"]) == g["members"] for g in groups if g["id"] not in ended)
