"""The profiles service's /metrics over a real nats-server: PATCH latency, outbox backlog."""

from __future__ import annotations

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_payload
from tests.support import bearer, eventually, running, sample, scrape

pytestmark = pytest.mark.nats

PATCH_ME = {"route": "/me", "method": "PATCH", "status": "200"}


async def test_a_patch_is_timed_under_its_route_and_its_event_waits_in_the_outbox_backlog(
    make_settings,
) -> None:
    settings = make_settings(metrics_refresh_s=0)
    hr = bearer(settings, "hr-1", "coordinator")
    app = create_app(settings)
    async with running(app) as client:
        member = (await client.post("/members", json=member_payload(), headers=hr)).json()
        before = await scrape(client)
        await app.state.relay.stop()  # the broker "slower than the writes": rows wait
        r = await client.patch("/me", json={"skills": {"gestion_agenda": 4}}, headers=bearer(
            settings, member["id"]))  # fmt: skip
        assert r.status_code == 200, r.text
        waiting = await scrape(client)
        app.state.relay.start()

        async def drained() -> bool:
            return sample(await scrape(client), "entraide_outbox_pending") == 0

        await eventually(drained)
        text = (await client.get("/metrics")).text

    count = "entraide_http_request_duration_seconds_count"
    assert sample(waiting, count, **PATCH_ME) == sample(before, count, **PATCH_ME) + 1
    assert sample(waiting, "entraide_outbox_pending") >= 1
    assert sample(waiting, "entraide_metrics_probe_up", probe="entraide_outbox_pending") == 1
    assert sample(waiting, "entraide_metrics_probe_up", probe="dead_letters") == 1
    assert ("entraide_dead_letters", frozenset()) in waiting
    assert member["id"] not in text and member["email"] not in text  # no PII in labels
