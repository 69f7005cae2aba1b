"""An SMTP outage far longer than the retries: every announcement arrives once afterwards.

Real nats-server, real profiles service, the local SMTP sink stopped and started again.
The test must not take ten real minutes, so the retry settings are scaled down and the
outage is long *relative to them*: waits capped at 0.5 s and a breaker open for 0.5 s,
against an outage of 12 s — 24 times the longest wait. The settings before this change
(6 attempts from 0.1 s: given up after about 2 s) failed every e-mail for good in it;
with a 60 s cap it is the same ratio as a 12-minute outage in production.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from deploy.local.smtp_sink import SmtpSink
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from services.profiles.main import create_app as profiles_app
from shared.events import Explanation, MentoringPairMatched
from tests.integration.notifier.receivers import member_payload, serving, wait_until
from tests.support import bearer, operator_jetstream, running

pytestmark = pytest.mark.nats

PAIRS = 15
OUTAGE_S = 12.0
CAP_S = 0.5
OPTIONS = DispatcherOptions(
    settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0,
    breaker_threshold=2, breaker_open_s=CAP_S,
)  # fmt: skip


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def test_after_an_outage_24_times_the_retry_cap_every_email_arrives_exactly_once(
    make_settings: Any,
) -> None:
    sink = SmtpSink().start()
    settings = make_settings(
        smtp_url=sink.url, retry_base_s=0.1, retry_cap_s=CAP_S, retry_horizon_s=3600
    )
    hr = bearer(settings, "hr", "coordinator")
    round_id = uid("round")
    try:
        async with (
            serving(profiles_app(settings), settings.profiles_port) as base,
            httpx.AsyncClient(base_url=base) as profiles,
            running(notifier_app(settings, OPTIONS)) as notifier,
        ):
            members = []
            for i in range(2 * PAIRS):
                body = member_payload(f"Membre {i}", f"{uid('m')}@example.com")
                r = await profiles.post("/members", json=body, headers=hr)
                members.append(r.json()["id"])
            sink.stop()  # the relay goes down before the round is published
            js = operator_jetstream(notifier)
            for i in range(PAIRS):
                event = MentoringPairMatched(
                    producer="matcher", match_id=uid("match"), round_id=round_id,
                    mentor_id=members[2 * i], mentee_id=members[2 * i + 1],
                    explanation=Explanation(score=1.0, reasons=("cross_site",)),
                )  # fmt: skip
                for _ in range(2):  # a redelivered copy adds nothing
                    await js.publish(event.subject, event.model_dump_json().encode())

            async def emails() -> list[dict[str, Any]]:
                r = await notifier.get(f"/rounds/{round_id}/deliveries?limit=500", headers=hr)
                items = r.json().get("items", []) if r.status_code == 200 else []
                return [d for d in items if d["channel"] == "email"]

            await wait_until(lambda: _all_recorded(emails()), what="deliveries recorded")
            await asyncio.sleep(OUTAGE_S)
            during = await emails()
            sink.start()
            await wait_until(lambda: _all_sent(emails()), timeout=60, what="all e-mails sent")
            await asyncio.sleep(1.0)  # time for a duplicate to show up, were there one
            after = await emails()
    finally:
        sink.stop()

    assert [d for d in during if d["status"] == "failed"] == []  # nobody given up on
    # waiting, none sent ("sending": an attempt under way at the moment of reading)
    assert {d["status"] for d in during} <= {"pending", "claimed", "sending"}
    # the breaker let about one probe through per opening, not 30 retries each
    tried = sum(d["attempts"] for d in during)
    print(f"\n{2 * PAIRS} e-mails, {OUTAGE_S:.0f} s outage: {tried} attempts during it")
    assert tried <= OUTAGE_S / CAP_S + 2 * OPTIONS.workers + 10, tried
    assert {d["status"] for d in after} == {"sent"} and len(after) == 2 * PAIRS
    assert len(sink.received) == 2 * PAIRS  # 0 lost, 0 duplicated
    assert set(sink.per_recipient().values()) == {1}
    assert len(sink.per_key()) == 2 * PAIRS


async def _all_recorded(emails: Any) -> bool:
    return len(await emails) == 2 * PAIRS


async def _all_sent(emails: Any) -> bool:
    found = await emails
    return len(found) == 2 * PAIRS and all(d["status"] == "sent" for d in found)
