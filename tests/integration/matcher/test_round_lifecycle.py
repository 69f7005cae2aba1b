"""Rounds over HTTP against a real nats-server: request, run, propose, adjust, publish."""

from __future__ import annotations

import json

import nats
import pytest

from services.matcher.main import create_app as matcher_app
from shared import subjects
from shared.events import MemberRegistered
from tests.matcher_support import community, propose_round, wait_state
from tests.support import bearer, running

pytestmark = pytest.mark.nats


async def test_a_groups_round_is_proposed_adjusted_and_published_with_one_event_per_group(
    matcher_env, nats_server
) -> None:
    async with matcher_env(40) as env:
        matcher, hr, tag, settings = env.client, env.hr, env.tag, env.settings
        request = {"client_request_id": f"g-{tag}", "kind": "groups", "name": "Groupes Q1"}
        first = await matcher.post("/rounds", json=request, headers=hr)
        again = await matcher.post("/rounds", json=request, headers=hr)
        assert first.status_code == 201 and again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        round_id = first.json()["id"]
        proposed = await wait_state(matcher, round_id, hr, "proposed")
        assert proposed["report"]["quality"]["sizes"]
        found = (await matcher.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
        # every one of ours once (the session's broker may bring other tests' members too)
        placed = [member for m in found for member in m["members"]]
        assert len(placed) == len(set(placed)) >= 40
        assert {p.member_id for p in env.people} <= set(placed)
        assert all(m["data"]["explanation"]["reasons"] for m in found)

        a, b = found[0]["members"][1], found[1]["members"][1]
        swapped = await matcher.post(
            f"/rounds/{round_id}/adjustments",
            json={"adjustment": {"action": "swap", "member_a": a, "member_b": b}},
            headers=hr,
        )
        assert swapped.status_code == 200, swapped.text
        after = (await matcher.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
        group_of = {m: g["id"] for g in after for m in g["members"]}
        assert group_of[a] == found[1]["id"] and group_of[b] == found[0]["id"]

        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        sub = await js.subscribe(subjects.MATCH_GROUP, deliver_policy="new")
        published = await matcher.post(f"/rounds/{round_id}/publish", headers=hr)
        assert published.json()["state"] == "published"
        seen = set()
        while len(seen) < len(after):
            msg = await sub.next_msg(timeout=10)
            body = json.loads(msg.data)
            if body["round_id"] == round_id:
                seen.add(body["match_id"])
        assert seen == {g["id"] for g in after}
        await nc.close()

        member = after[0]["members"][0]
        mine = (await matcher.get("/me/matches", headers=bearer(settings, member))).json()["items"]
        assert [m["id"] for m in mine] == [after[0]["id"]]
        forbidden = await matcher.get(
            f"/rounds/{round_id}/matches", headers=bearer(settings, member)
        )
        assert forbidden.status_code == 403


async def test_a_second_rotation_round_never_repeats_an_encounter_from_the_first(
    matcher_env,
) -> None:
    async with matcher_env(24, seed=2) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        met: set[frozenset[str]] = set()
        for n in range(2):
            body = {
                "client_request_id": f"r-{tag}-{n}",
                "kind": "rotations",
                "parameters": {"table_size": 4, "rounds": 2, "seed": n},
            }
            round_id, _ = await propose_round(matcher, hr, body)
            found = (await matcher.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
            pairs = {
                frozenset((m["members"][0], o))
                for m in found
                for s in m["data"]["seats"]
                for o in s["tablemates"]
            }
            assert not pairs & met, "a pair met again"
            met |= pairs
            await matcher.post(f"/rounds/{round_id}/publish", headers=hr)


async def test_bad_round_requests_get_clear_errors(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr", "coordinator")
    async with running(matcher_app(settings)) as matcher:
        bad = await matcher.post(
            "/rounds",
            json={
                "client_request_id": "x",
                "kind": "groups",
                "parameters": {"min_size": 9, "max_size": 4},
            },
            headers=hr,
        )
        assert bad.status_code == 422
        missing = await matcher.get("/rounds/nope", headers=hr)
        assert missing.status_code == 404 and "introuvable" in missing.json()["detail"]
        assert missing.json()["code"] == "round_not_found"
        assert missing.headers["content-type"].startswith("application/problem+json")
        assert bad.json()["errors"] and bad.json()["code"] == "invalid_request"
        huge = await matcher.get("/rounds?offset=100000000000000000000", headers=hr)
        assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "offset"
        member = await matcher.post(
            "/rounds",
            json={"client_request_id": "y", "kind": "groups"},
            headers=bearer(settings, "m1"),
        )
        assert member.status_code == 403


async def test_a_mentoring_round_explains_pairs_refuses_bad_swaps_and_never_repeats_a_pair(
    matcher_env,
) -> None:
    def build(tag: str) -> list[MemberRegistered]:
        people = community(30, tag, seed=3)
        # the first member, a mentor, manages the second, a mentee
        managed = people[1].profile.model_copy(update={"manager_id": people[0].member_id})
        people[1] = people[1].model_copy(update={"profile": managed})
        return people

    async with matcher_env(build=build) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        boss, mentee_id = env.people[0].member_id, env.people[1].member_id
        seen: set[frozenset[str]] = set()
        for n in range(2):
            body = {
                "client_request_id": f"m-{tag}-{n}",
                "kind": "mentoring",
                "parameters": {"mode": "max_mentees"},
            }
            round_id, proposed = await propose_round(matcher, hr, body)
            assert proposed["report"]["solver"]["proved_optimal"] is True
            found = (await matcher.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
            assert found and all(m["explanation"].startswith("Pourquoi vous") for m in found)
            assert all(m["data"]["explanation"]["reasons"] for m in found)
            english = await matcher.get(
                f"/rounds/{round_id}/matches", headers={**hr, "Accept-Language": "en"}
            )
            assert english.json()["items"][0]["explanation"].startswith("Why you")
            pairs = {frozenset(m["members"]) for m in found}
            assert not pairs & seen, "a pair was repeated"
            assert frozenset((boss, mentee_id)) not in pairs
            if n == 0:
                refused = await matcher.post(
                    f"/rounds/{round_id}/adjustments",
                    json={
                        "adjustment": {
                            "action": "assign",
                            "mentee_id": mentee_id,
                            "mentor_id": boss,
                        }
                    },
                    headers=hr,
                )
                assert refused.status_code == 422
                assert "hiérarchique" in refused.json()["detail"]
                assert refused.json()["code"] == "pair_refused.same_manager_line"
            seen |= pairs
            await matcher.post(f"/rounds/{round_id}/publish", headers=hr)
