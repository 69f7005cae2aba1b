"""Notices of a match's life: each member told once per reminder or check-in, with the
link to the portal page that asks before changing anything; answers tell nobody."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from deploy.local.smtp_sink import SmtpSink
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from services.profiles.main import create_app as profiles_app
from shared.events import Event, Explanation, MentoringPairMatched
from shared.life_events import (
    MatchAccepted,
    MatchCheckinRequested,
    MatchResponseReminded,
    life_event_id,
)
from tests.integration.notifier.receivers import member_payload, serving, wait_until
from tests.support import bearer, running

pytestmark = pytest.mark.nats
FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


@pytest.fixture
def sink() -> Any:
    s = SmtpSink().start()
    yield s
    s.stop()


@pytest.fixture
async def stack(make_settings: Any, sink: SmtpSink) -> AsyncIterator[dict[str, Any]]:
    settings = make_settings(smtp_url=sink.url, portal_url="https://portail.example")
    async with (
        serving(profiles_app(settings), settings.profiles_port) as base,
        httpx.AsyncClient(base_url=base) as profiles,
        running(notifier_app(settings, FAST)) as notifier,
    ):
        js = notifier._transport.app.state.broker.connection.jetstream()  # type: ignore[attr-defined]
        yield {"settings": settings, "profiles": profiles, "notifier": notifier, "js": js}


async def register(stack: dict[str, Any], name: str, **fields: Any) -> str:
    body = member_payload(name, f"{uuid.uuid4().hex[:8]}@example.com", **fields)
    hr = bearer(stack["settings"], "hr", "coordinator")
    r = await stack["profiles"].post("/members", json=body, headers=hr)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def publish(js: Any, event: Event, times: int = 1) -> None:
    for _ in range(times):  # the same event again: a redelivery, or a replay of the stream
        await js.publish(event.subject, event.model_dump_json().encode())


async def test_reminders_and_check_ins_reach_each_member_once_with_the_link_to_answer(
    stack: dict[str, Any], sink: SmtpSink
) -> None:
    mentor = await register(stack, "Léa Martin")
    mentee = await register(stack, "Sam Lee", preferred_language="en")
    round_id, match_id = f"round-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    common = {"producer": "matcher", "match_id": match_id, "round_id": round_id}
    at = datetime(2027, 3, 1, 9, tzinfo=UTC)
    deadline = at + timedelta(days=7)
    pair = MentoringPairMatched(**common, mentor_id=mentor, mentee_id=mentee,
                                explanation=Explanation(reasons=("cross_site",)))  # fmt: skip
    life = {**common, "kind": "mentoring"}
    accepted = MatchAccepted(**life, member_id=mentor, occurred_at=at + timedelta(days=1),
                             event_id=life_event_id(match_id, mentor, "answer"))  # fmt: skip
    reminded = MatchResponseReminded(
        **life, member_id=mentee, reminder=1, deadline=deadline, occurred_at=at + timedelta(days=3),
        event_id=life_event_id(match_id, mentee, "response_reminded", 1),
    )  # fmt: skip
    checkin = MatchCheckinRequested(
        **life, member_id=mentor, occurred_at=at + timedelta(days=14),
        event_id=life_event_id(match_id, mentor, "checkin_requested", 0),
    )  # fmt: skip
    await publish(stack["js"], pair)
    await wait_until(lambda: len(sink.received) >= 2, what="the two announcements")
    for event in (accepted, reminded, checkin):
        await publish(stack["js"], event, times=2)
    await wait_until(lambda: len(sink.received) >= 4, what="the reminder and the check-in")
    await asyncio.sleep(1.0)  # nothing else may arrive
    assert len(sink.received) == 4
    by_subject = {r.subject: r.part("text/plain") for r in sink.received}
    link = f"https://portail.example/propositions/{match_id}"
    announcement = by_subject["Entraide : vous accompagnez Sam Lee"]
    assert link in announcement and "accepter ou refuser" in announcement
    reminder = next(
        t for s, t in by_subject.items() if s.startswith("Entraide: reminder 1/2, your answer")
    )
    assert link in reminder and "March 2027" in reminder
    asked = by_subject["Entraide : vous êtes-vous rencontrés ?"]
    assert link in asked and "Léa Martin" in asked

    inbox = await stack["notifier"].get("/inbox", headers=bearer(stack["settings"], mentee))
    subjects_seen = [e["subject"] for e in inbox.json()["items"]]
    assert len(subjects_seen) == 2 and any("answer is due" in s for s in subjects_seen)
