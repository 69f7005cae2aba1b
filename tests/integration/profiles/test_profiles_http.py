"""The profiles HTTP API over a real SQLite file and a real nats-server."""

from __future__ import annotations

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_events, member_payload
from tests.support import bearer, running

pytestmark = pytest.mark.nats

MATCHING_KEYS = {
    "site", "department", "function", "manager_id", "start_date", "languages", "skills",
    "skills_wanted", "themes", "availability", "opt_ins", "paused_until",
}
ENVELOPE_KEYS = {"event_id", "type", "schema_version", "occurred_at", "producer", "member_id",
                 "version"}


async def test_a_coordinator_registers_a_member_and_the_event_reaches_the_stream(
    make_settings,
) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    body = member_payload()
    async with running(create_app(settings)) as client:
        r = await client.post("/members", json=body, headers=hr)
        assert r.status_code == 201, r.text
        member = r.json()
        assert member["version"] == 1
        assert member["notification_channels"] == ["email", "inapp"]
        assert member["preferred_language"] == "fr"
        mine = await client.get(f"/members/{member['id']}", headers=bearer(settings, member["id"]))
        assert mine.status_code == 200 and mine.json()["email"] == body["email"]
        events = await member_events(settings.broker_url, {member["id"]}, 1)
    assert [e["type"] for e in events] == ["member.registered"]
    event = events[0]
    assert set(event) - {"_msg_id", "profile"} <= ENVELOPE_KEYS
    assert set(event["profile"]) <= MATCHING_KEYS
    assert event["_msg_id"] == event["event_id"]
    text = str(event)
    assert body["email"] not in text and body["display_name"] not in text
