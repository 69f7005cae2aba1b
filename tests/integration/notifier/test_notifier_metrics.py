"""The notifier's /metrics over a real nats-server: deliveries by channel and status."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from shared import subjects
from shared.events import Explanation, MentoringPairMatched
from tests.integration.notifier.receivers import HttpReceiver
from tests.support import eventually, operator_jetstream, running, sample, scrape

pytestmark = pytest.mark.nats

FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


async def test_an_announcement_moves_the_in_app_deliveries_to_sent(make_settings: Any) -> None:
    ids = [f"metrics-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with HttpReceiver() as profiles:
        for member_id in ids:
            profiles.members[member_id] = {
                "display_name": "Membre", "email": f"{member_id}@example.com",
                "notification_channels": ["inapp"],
            }  # fmt: skip
        settings = make_settings(profiles_url=profiles.base, metrics_refresh_s=0)
        async with running(notifier_app(settings, FAST)) as notifier:
            before = await scrape(notifier)
            event = MentoringPairMatched(
                producer="matcher", match_id=f"match-{ids[0]}", round_id=f"round-{ids[0]}",
                mentor_id=ids[0], mentee_id=ids[1],
                explanation=Explanation(reasons=("cross_site",)),
            )  # fmt: skip
            await operator_jetstream(notifier).publish(
                event.subject, event.model_dump_json().encode()
            )

            async def announced() -> dict | None:
                now = await scrape(notifier)
                sent = sample(now, "entraide_deliveries", channel="inapp", status="sent")
                return now if sent == 2 and sample(now, "entraide_outbox_pending") == 0 else None

            after = await eventually(announced, timeout=20)
            text = (await notifier.get("/metrics")).text
    assert isinstance(after, dict)
    assert sample(before, "entraide_deliveries", channel="inapp", status="sent") == 0
    assert ("entraide_deliveries", frozenset({("channel", "email"), ("status", "failed")})) in after
    matches = {"stream": subjects.STREAM_MATCHES, "consumer": subjects.DURABLE_NOTIFIER_MATCHES}
    assert ("entraide_consumer_lag_messages", frozenset(matches.items())) in after
    assert not any(member_id in text for member_id in ids)
