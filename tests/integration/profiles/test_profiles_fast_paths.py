"""Issue 14 item 1: the fast ``GET /me`` and ``PATCH /me`` keep every behaviour.

``PATCH /me`` answers from the record it wrote (no second read), keeps the stored
management line without reading the organisation, resolves skills against catalogues
kept in memory (rebuilt when HR changes them), and commits through the group commit;
``GET /me`` reads in the event loop. Over the real app, database and nats-server.
"""

from __future__ import annotations

import asyncio

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_events, member_payload
from tests.support import bearer, operator_url, running

pytestmark = pytest.mark.nats


async def test_the_patch_answer_is_what_a_read_then_gives_and_each_change_has_its_event(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        boss = (await client.post("/members", json=member_payload(), headers=hr)).json()
        body = member_payload(manager_id=boss["id"])
        member = (await client.post("/members", json=body, headers=hr)).json()
        own = bearer(settings, member["id"])
        answers = [
            await client.patch("/me", json={"availability": {"frequency": f}}, headers=own)
            for f in ("weekly", "quarterly")
        ]
        read = (await client.get("/me", headers=own)).json()
        found = await member_events(operator_url(settings), {member["id"]}, expected=3)
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[-1].json() == read
    assert read["availability"]["frequency"] == "quarterly" and read["version"] == 3
    assert read["management_line"] == [boss["id"]]
    assert [e["version"] for e in found] == [1, 2, 3]
    assert found[-1]["profile"]["management_line"] == [boss["id"]]


async def test_a_skill_hr_adds_is_usable_by_the_next_patch_and_a_bad_one_still_refused(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        member = (await client.post("/members", json=member_payload(), headers=hr)).json()
        own = bearer(settings, member["id"])
        before = await client.patch("/me", json={"skills": {"tri_courrier": 2}}, headers=own)
        added = await client.post(
            "/skills",
            json={"code": "tri_courrier", "kind": "savoir_faire", "label": "Tri du courrier"},
            headers=hr,
        )
        after = await client.patch("/me", json={"skills": {"Tri du courrier": 2}}, headers=own)
    assert before.status_code == 422
    assert added.status_code == 201, added.text
    assert after.status_code == 200 and after.json()["skills"] == {"tri_courrier": 2}


async def test_concurrent_patches_of_many_members_are_all_stored(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        members = [
            (await client.post("/members", json=member_payload(), headers=hr)).json()
            for _ in range(12)
        ]
        answers = await asyncio.gather(
            *(
                client.patch(
                    "/me",
                    json={"opt_ins": {"mentor_capacity": 1 + i % 3}},
                    headers=bearer(settings, m["id"]),
                )
                for i, m in enumerate(members)
            )
        )
        reads = [
            (await client.get("/me", headers=bearer(settings, m["id"]))).json() for m in members
        ]
    assert [a.status_code for a in answers] == [200] * 12
    assert [r["opt_ins"]["mentor_capacity"] for r in reads] == [1 + i % 3 for i in range(12)]
    assert [a.json() for a in answers] == reads


async def test_a_token_issued_before_an_erasure_is_refused_on_get_me(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        member = (await client.post("/members", json=member_payload(), headers=hr)).json()
        own = bearer(settings, member["id"])
        first = await client.get("/me", headers=own)  # the token is now kept as verified
        erased = await client.delete("/me", headers=own)
        again = await client.get("/me", headers=own)
    assert first.status_code == 200 and erased.status_code == 204
    assert again.status_code == 401 and again.json()["code"] == "account_erased"
