"""The outbox across a broker outage: nothing lost, nothing duplicated, order per member.

Uses its own nats-server (not the session one) so it can stop it and start it again on
the same port with the same JetStream folder, as an operator restart would.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from deploy.local.nats_server import NatsServer, free_port, password_settings
from services.profiles.adapters.outbox import pending_count
from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import THEMES, member_events, member_payload
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats

MEMBERS = 10
CHANGES_PER_MEMBER = 10


async def test_a_hundred_changes_made_while_the_broker_is_down_arrive_once_and_in_order(
    tmp_path, make_settings
) -> None:
    server = NatsServer(tmp_path / "nats", port=free_port()).start()
    try:
        passwords = password_settings(server.passwords)
        settings = make_settings(nats_url=server.address, data_dir=tmp_path / "data", **passwords)
        hr = bearer(settings, "hr-1", "coordinator")
        async with running(create_app(settings)) as client:
            engine = client._transport.app.state.engine  # type: ignore[attr-defined]
            ids = []
            for _ in range(MEMBERS):
                r = await client.post("/members", json=member_payload(), headers=hr)
                ids.append(r.json()["id"])
            await eventually(lambda: pending_count(engine) == 0)

            server.stop()
            statuses = Counter()
            for round_ in range(CHANGES_PER_MEMBER):
                for member_id in ids:
                    r = await client.patch(
                        f"/members/{member_id}",
                        json={"skills": {"gestion_agenda": round_ % 5}, "themes": [THEMES[round_]]},
                        headers=hr,
                    )
                    statuses[r.status_code] += 1
            assert statuses == {200: MEMBERS * CHANGES_PER_MEMBER}
            assert pending_count(engine) == MEMBERS * CHANGES_PER_MEMBER

            server.start()
            await eventually(lambda: pending_count(engine) == 0, timeout=30.0)
            expected = MEMBERS * (1 + CHANGES_PER_MEMBER)
            events = await member_events(server.url, set(ids), expected + 1, timeout=3.0)
    finally:
        server.stop()

    assert len(events) == expected  # waited for one more: none came
    assert len({e["event_id"] for e in events}) == expected
    updates = [e for e in events if e["type"] == "member.profile_updated"]
    assert len(updates) == MEMBERS * CHANGES_PER_MEMBER
    versions: dict[str, list[int]] = defaultdict(list)
    for event in events:
        versions[event["member_id"]].append(event["version"])
    assert all(v == list(range(1, CHANGES_PER_MEMBER + 2)) for v in versions.values()), versions
    last = {e["member_id"]: e for e in updates}
    assert all(e["profile"]["themes"] == [THEMES[CHANGES_PER_MEMBER - 1]] for e in last.values())
