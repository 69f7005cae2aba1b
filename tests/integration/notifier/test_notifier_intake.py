"""Match events are recorded in batches: a malformed event among good ones is
dead-lettered alone, with its reason, and the good ones are all recorded once."""

from __future__ import annotations

import json
import uuid
from typing import Any

import nats
import pytest

from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from shared import subjects
from shared.events import Explanation, MentoringPairMatched
from tests.integration.notifier.receivers import HttpReceiver, wait_until
from tests.support import bearer, operator_url, running

pytestmark = pytest.mark.nats

FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


async def test_a_malformed_event_in_a_burst_is_dead_lettered_alone(make_settings: Any) -> None:
    round_id = f"round-intake-{uuid.uuid4().hex[:8]}"
    good = [
        MentoringPairMatched(
            producer="matcher",
            match_id=f"{round_id}-{i}",
            round_id=round_id,
            mentor_id=f"a{i}-{round_id}",
            mentee_id=f"b{i}-{round_id}",
            explanation=Explanation(reasons=("cross_site",)),
        )
        for i in range(6)
    ]
    bad = {"type": "match.mentoring_pair", "match_id": f"{round_id}-bad", "round_id": round_id}
    with HttpReceiver() as profiles:  # knows nobody: every member reads as erased
        settings = make_settings(profiles_url=profiles.base)
        nc = await nats.connect(operator_url(settings))
        js = nc.jetstream()
        async with running(notifier_app(settings, FAST)) as notifier:  # streams exist now
            dlq = await js.subscribe(subjects.dead_letter_subject("notifier"), deliver_policy="new")
            for event in good[:3]:
                await js.publish(event.subject, event.model_dump_json().encode())
            await js.publish(subjects.MATCH_MENTORING_PAIR, json.dumps(bad).encode())
            for event in good[3:] + good[:2]:  # and two redeliveries
                await js.publish(event.subject, event.model_dump_json().encode())

            async def recorded() -> dict[str, Any] | None:
                r = await notifier.get(
                    f"/rounds/{round_id}/deliveries", headers=bearer(settings, "hr", "coordinator")
                )
                return r.json() if r.status_code == 200 and r.json()["total"] >= 36 else None

            log = await wait_until(recorded, what="the six good events recorded")
            letter = await dlq.next_msg(timeout=10)
        await nc.close()
    assert log["total"] == 6 * 2 * 3  # 6 pairs x 2 members x 3 channels, redeliveries add none
    assert {d["member_id"] for d in log["items"]} == {
        m for e in good for m in (e.mentor_id, e.mentee_id)
    }
    assert json.loads(letter.data)["match_id"] == f"{round_id}-bad"
    assert "ValidationError" in (letter.headers or {})["Entraide-Reason"]
