"""Over a real nats-server: a member declines over HTTP, the matcher's own consumer of
``match.declined`` repairs the round (``auto_repair`` on); the same event delivered again
repairs nothing more (idempotent by event id)."""

from __future__ import annotations

import json
from typing import Any

import nats
import pytest

from shared import subjects
from tests.matcher_support import propose_round
from tests.support import bearer, eventually, json_object

pytestmark = pytest.mark.nats


async def repairs_of(env: Any, round_id: str) -> dict[str, Any]:
    return (await env.client.get(f"/rounds/{round_id}/repairs", headers=env.hr)).json()


async def decline(env: Any, match: dict[str, Any], who: str) -> None:
    token = bearer(env.settings, who, "member")
    answer = {"accept": False, "reason": "not_available"}
    r = await env.client.post(f"/me/matches/{match['id']}/answer", json=answer, headers=token)
    assert r.status_code == 200, r.text


async def test_a_decline_is_repaired_by_the_matchers_consumer_once(
    matcher_env: Any, nats_server: Any
) -> None:
    async with matcher_env(24, seed=7) as env:
        body = {"client_request_id": f"wire-{env.tag}", "kind": "mentoring",
                "parameters": {"auto_repair": True}}  # fmt: skip
        rid, _ = await propose_round(env.client, env.hr, body)
        found = (await env.client.get(f"/rounds/{rid}/matches", headers=env.hr)).json()["items"]
        assert (await env.client.post(f"/rounds/{rid}/publish", headers=env.hr)).is_success
        first = found[0]  # and a match with nobody in common (a mentor may have two)
        second = next(m for m in reversed(found) if not set(m["members"]) & set(first["members"]))

        await decline(env, first, first["members"][1])

        async def revision(n: int) -> bool:
            return (await repairs_of(env, rid))["revision"] == n

        await eventually(lambda: revision(1), timeout=30)
        # the same match.declined again (as a redelivery would bring it), then a new decline
        nc = await nats.connect(nats_server.url)
        try:
            js = nc.jetstream()
            sub = await js.pull_subscribe(subjects.MATCH_DECLINED, durable=None,
                                          stream=subjects.STREAM_LIFE)  # fmt: skip
            # the stream holds the session's other declines too: take this one's
            again = None
            while again is None:
                stored = (await sub.fetch(1, timeout=5))[0]
                body = json_object(stored.data)
                if body is not None and body.get("match_id") == first["id"]:
                    again = body
            assert again["member_id"] == first["members"][1]
            await js.publish(subjects.MATCH_DECLINED, json.dumps(again).encode())
        finally:
            await nc.close()
        await decline(env, second, second["members"][1])
        await eventually(lambda: revision(2), timeout=30)
        found = await repairs_of(env, rid)
        assert found["revision"] == 2 and len(found["repairs"]) == 2
        assert sorted(d["member_id"] for d in found["departures"]) == sorted(
            [first["members"][1], second["members"][1]]
        )
        assert [d["repaired_in"] for d in found["departures"]] == [1, 2]
