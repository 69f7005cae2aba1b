"""HR deactivation across the services over a real nats-server: a coordinator marks a
mentor as having left the company in profiles; the matcher records the departure from
the published round and, its ``auto_repair`` policy being on, repairs it at once with
only the people concerned changed."""

from __future__ import annotations

import uuid

import httpx
import pytest

from services.matcher.main import create_app as matcher_app
from services.profiles.main import create_app as profiles_app
from tests.integration.notifier.receivers import serving, wait_until
from tests.integration.test_repair_announcements_flow import register
from tests.matcher_support import wait_projected, wait_state
from tests.support import bearer, running

pytestmark = pytest.mark.nats


async def test_a_mentor_who_left_the_company_is_repaired_out_of_the_round_at_once(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr", "coordinator")
    async with (
        serving(profiles_app(settings), settings.profiles_port) as base,
        httpx.AsyncClient(base_url=base) as profiles,
        running(matcher_app(settings)) as matcher,
    ):
        # sites of this test's own: the session's broker replays other tests' members
        lyon, lille, paris = (
            f"{site} {uuid.uuid4().hex[:6]}" for site in ("Lyon", "Lille", "Paris")
        )
        people = [
            await register(profiles, hr, "Anne", lyon, mentor=True, mentor_capacity=2),
            await register(profiles, hr, "Bruno", lille, mentor=True, mentor_capacity=2),
            *[
                await register(profiles, hr, name, paris, mentee=True)
                for name in ("Chloe", "David", "Emma")
            ],
        ]
        await wait_projected(matcher, hr, len(people), dict(people))
        body = {"client_request_id": uuid.uuid4().hex, "kind": "mentoring",
                "scope": {"sites": [lyon, lille, paris]},
                "parameters": {"auto_repair": True}}  # fmt: skip
        rid = (await matcher.post("/rounds", json=body, headers=hr)).json()["id"]
        await wait_state(matcher, rid, hr, "proposed")
        assert (await matcher.post(f"/rounds/{rid}/publish", headers=hr)).is_success
        first = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
        anne, bruno = people[0][0], people[1][0]
        annes = {p["members"][1] for p in first if p["members"][0] == anne}
        assert annes, "Anne has a mentee to leave behind"
        left = await profiles.post(f"/members/{anne}/deactivation", json={}, headers=hr)
        assert left.status_code == 200 and left.json()["left_on"]

        async def repaired() -> dict | None:
            found = (await matcher.get(f"/rounds/{rid}/repairs", headers=hr)).json()
            return found if found["repairs"] else None

        await wait_until(repaired, 60)
        found = (await matcher.get(f"/rounds/{rid}/repairs", headers=hr)).json()
        after = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
    assert [(d["member_id"], d["reason"]) for d in found["departures"]] == [(anne, "deactivated")]
    (report,) = found["repairs"]
    assert report["reason"] == "deactivated" and found["revision"] == 1
    assert set(report["changed_people"]) <= annes | {bruno}  # only the people concerned
    kept = [p for p in first if p["members"][0] == bruno]
    assert all(p in after for p in kept), "a pair without Anne changed"
    assert all(anne not in p["members"] for p in after)
