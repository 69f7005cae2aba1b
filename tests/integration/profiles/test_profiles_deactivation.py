"""HR deactivation over the real profiles app and a real nats-server: a coordinator marks
a member as having left the company; ``member.deactivated`` carries ``left_on``, later
snapshots keep it, and a second deactivation changes nothing."""

from __future__ import annotations

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_events, member_payload, unique
from tests.support import bearer, operator_url, running

pytestmark = pytest.mark.nats


async def test_a_coordinator_deactivates_a_member_once_and_later_snapshots_keep_it(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        created = (await client.post("/members", json=member_payload(), headers=hr)).json()
        mid = created["id"]
        url = f"/members/{mid}/deactivation"
        left = await client.post(url, json={"left_on": "2026-11-20"}, headers=hr)
        again = await client.post(url, json={"left_on": "2026-11-27"}, headers=hr)
        edited = await client.patch(f"/members/{mid}", json={"function": "RH"}, headers=hr)
        events = await member_events(operator_url(settings), {mid}, 3)
    assert created["left_on"] is None
    assert left.status_code == 200, left.text
    assert (left.json()["left_on"], left.json()["version"]) == ("2026-11-20", 2)
    assert (again.status_code, again.json()["version"]) == (200, 2)  # nothing new
    assert (edited.json()["left_on"], edited.json()["function"]) == ("2026-11-20", "RH")
    assert [(e["type"], e["version"], e["profile"]["left_on"]) for e in events] == [
        ("member.registered", 1, None),
        ("member.deactivated", 2, "2026-11-20"),
        ("member.profile_updated", 3, "2026-11-20"),
    ]


async def test_only_a_coordinator_deactivates_and_bad_requests_are_explained(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        mid = (await client.post("/members", json=member_payload(), headers=hr)).json()["id"]
        url = f"/members/{mid}/deactivation"
        by_self = await client.post(url, json={}, headers=bearer(settings, mid))
        unknown = await client.post(f"/members/{unique()}/deactivation", json={}, headers=hr)
        bad_day = await client.post(
            url, json={"left_on": "hier"}, headers={**hr, "Accept-Language": "en"}
        )
        smuggled = await client.patch(f"/members/{mid}", json={"left_on": None}, headers=hr)
        today = await client.post(url, json={}, headers=hr)
    assert by_self.status_code == 403
    assert unknown.status_code == 404 and unknown.json()["code"] == "member_not_found"
    assert bad_day.status_code == 422 and "left_on" in bad_day.text
    assert smuggled.status_code == 422  # left_on is set by the deactivation only
    assert today.status_code == 200 and today.json()["left_on"]
