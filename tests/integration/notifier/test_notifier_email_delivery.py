"""Announcements by email over a real SMTP server (deploy.local.smtp_sink), with the real profiles
service on a real port and a real nats-server."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import nats
import pytest

from deploy.local.smtp_sink import SmtpSink
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from services.profiles.main import create_app as profiles_app
from shared import subjects
from shared.events import Explanation, MentoringPairMatched
from shared.settings import Settings
from tests.integration.notifier.receivers import member_payload, serving, wait_until
from tests.support import bearer, operator_jetstream, operator_url, running

pytestmark = pytest.mark.nats

FAST = DispatcherOptions(
    settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0, breaker_open_s=0.5
)


def uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def sink() -> Any:
    s = SmtpSink().start()
    yield s
    s.stop()


async def register(profiles: httpx.AsyncClient, settings: Settings, **fields: Any) -> str:
    name = fields.pop("name", "Léa Martin")
    body = member_payload(name, f"{uid('m')}@example.com", **fields)
    r = await profiles.post("/members", json=body, headers=bearer(settings, "hr", "coordinator"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def pair(mentor: str, mentee: str, round_id: str) -> MentoringPairMatched:
    return MentoringPairMatched(
        producer="matcher", match_id=uid("match"), round_id=round_id,
        mentor_id=mentor, mentee_id=mentee,
        explanation=Explanation(
            score=2.0, reasons=("skills:gestion_agenda", "cross_site")
        ),
    )  # fmt: skip


@pytest.fixture
async def stack(make_settings: Any, sink: SmtpSink) -> AsyncIterator[dict[str, Any]]:
    settings = make_settings(smtp_url=sink.url, retry_base_s=0.2, max_attempts=30)
    async with (
        serving(profiles_app(settings), settings.profiles_port) as base,
        httpx.AsyncClient(base_url=base) as profiles,
        running(notifier_app(settings, FAST)) as notifier,
    ):
        js = operator_jetstream(notifier)
        yield {"settings": settings, "profiles": profiles, "notifier": notifier, "js": js}


async def publish(js: Any, event: MentoringPairMatched, times: int = 1) -> None:
    for _ in range(times):
        await js.publish(event.subject, event.model_dump_json().encode())


async def log_of(stack: dict[str, Any], round_id: str) -> dict[str, Any]:
    r = await stack["notifier"].get(
        f"/rounds/{round_id}/deliveries?limit=500",
        headers=bearer(stack["settings"], "hr", "coordinator"),
    )
    return dict(r.json()) if r.status_code == 200 else {}


async def test_a_pair_is_told_once_by_email_in_each_language_with_an_invitation(
    stack, sink
) -> None:
    mentor = await register(stack["profiles"], stack["settings"], name="Léa Martin")
    mentee = await register(
        stack["profiles"], stack["settings"], name="Sam Lee", preferred_language="en"
    )
    round_id = uid("round")
    await publish(stack["js"], pair(mentor, mentee, round_id), times=3)  # redeliveries

    await wait_until(lambda: len(sink.received) >= 2, what="two emails")
    log = await wait_until(lambda: _settled(log_of(stack, round_id)), what="log settled")
    await asyncio.sleep(0.5)  # nothing else may arrive
    assert len(sink.received) == 2
    by_subject = {r.subject: r for r in sink.received}
    assert "Entraide : vous accompagnez Sam Lee" in by_subject
    assert "Entraide: Léa Martin will be your mentor" in by_subject
    text = by_subject["Entraide : vous accompagnez Sam Lee"].part("text/plain")
    # The skill's label comes from the profiles catalogue (starter catalogue), not a code.
    assert "compétence en commun : Gestion d'agendas complexes" in text
    assert "gestion agenda" not in text and "sites différents" in text
    english = by_subject["Entraide: Léa Martin will be your mentor"].part("text/plain")
    assert "shared skill: Complex diary management" in english
    ics = by_subject["Entraide : vous accompagnez Sam Lee"].part("text/calendar")
    assert ics.startswith("BEGIN:VCALENDAR") and "DTSTART:" in ics
    assert all(r.key for r in sink.received)
    assert log["counts"] == {
        "pending": 0,
        "claimed": 0,
        "sending": 0,
        "sent": 4,
        "failed": 0,
        "skipped": 2,
    }
    skipped = [d for d in log["items"] if d["status"] == "skipped"]
    assert {d["channel"] for d in skipped} == {"chat"}
    assert all(d["reason"] == "channel_not_chosen" for d in skipped)  # a code
    assert all(d["reason_params"] == {"channel": "chat"} for d in skipped)
    assert all("canal non choisi" in d["reason_text"] for d in skipped)


async def _settled(log: Any) -> dict[str, Any] | None:
    log = await log
    c = log["counts"] if log else {}
    if log and c["pending"] + c["claimed"] + c["sending"] == 0:
        return dict(log)
    return None


async def test_smtp_down_during_a_round_everything_arrives_after_it_returns_once(
    stack, sink
) -> None:
    sink.stop()  # the relay is down when the round is published
    round_id = uid("round")
    members = [
        await register(stack["profiles"], stack["settings"], name=f"Membre {i}") for i in range(12)
    ]
    for i in range(0, 12, 2):
        await publish(stack["js"], pair(members[i], members[i + 1], round_id), times=2)

    async def retrying() -> bool:
        log = await log_of(stack, round_id)
        email = [d for d in log.get("items", []) if d["channel"] == "email"]
        # the breaker holds most of them back: the relay is probed, not hammered
        return (
            len(email) == 12
            and all(d["status"] == "pending" for d in email)
            and any(d["attempts"] >= 2 for d in email)
        )

    await wait_until(retrying, what="emails retried while SMTP is down")
    log = await log_of(stack, round_id)
    email = [d for d in log["items"] if d["channel"] == "email"]
    assert any(
        d["reason"] == "retrying" and d["reason_params"]["cause"] == "smtp_failed"
        and "SMTP" in d["reason_text"]
        for d in email
    )  # fmt: skip

    sink.start()
    await wait_until(lambda: _settled(log_of(stack, round_id)), timeout=30, what="all sent")
    await asyncio.sleep(0.5)
    assert len(sink.received) == 12
    assert set(sink.per_recipient().values()) == {1}


async def test_an_erased_member_is_skipped_and_a_paused_member_only_gets_the_inbox(
    stack, sink
) -> None:
    paused = await register(
        stack["profiles"],
        stack["settings"],
        paused_until=(date.today() + timedelta(days=30)).isoformat(),
    )
    erased = uid("erased")  # unknown to profiles: 404, as after an erasure
    round_id = uid("round")
    await publish(stack["js"], pair(paused, erased, round_id))
    log = await wait_until(lambda: _settled(log_of(stack, round_id)), what="log settled")
    rows = {(d["member_id"], d["channel"]): d for d in log["items"]}
    assert rows[(paused, "email")]["status"] == "skipped"
    assert rows[(paused, "email")]["reason"] == "member_paused"
    assert "pause" in rows[(paused, "email")]["reason_text"]
    assert rows[(paused, "inapp")]["status"] == "sent"
    assert {rows[(erased, c)]["reason"] for c in ("email", "chat", "inapp")} == {"member_erased"}
    assert rows[(erased, "email")]["reason_text"] == "membre effacé"
    assert sink.received == []

    inbox = (
        await stack["notifier"].get("/inbox", headers=bearer(stack["settings"], paused))
    ).json()["items"]
    assert len(inbox) == 1 and "(membre retiré)" in inbox[0]["body"]
    entry = inbox[0]["id"]
    other = await stack["notifier"].post(
        f"/inbox/{entry}/read", headers=bearer(stack["settings"], erased)
    )
    assert other.status_code == 404 and "introuvable" in other.json()["detail"]
    assert other.json()["code"] == "inbox_entry_not_found"
    assert other.headers["content-type"].startswith("application/problem+json")
    mine = await stack["notifier"].post(
        f"/inbox/{entry}/read", headers=bearer(stack["settings"], paused)
    )
    assert mine.status_code == 204
    inbox = (
        await stack["notifier"].get("/inbox", headers=bearer(stack["settings"], paused))
    ).json()["items"]
    assert inbox[0]["read"] is True


async def test_the_delivery_log_is_for_coordinators_only(stack) -> None:
    member = await stack["notifier"].get(
        "/rounds/x/deliveries", headers=bearer(stack["settings"], "m1")
    )
    assert member.status_code == 403
    unknown = await stack["notifier"].get(
        f"/rounds/{uid('none')}/deliveries", headers=bearer(stack["settings"], "hr", "coordinator")
    )
    assert unknown.status_code == 404 and "Aucune annonce" in unknown.json()["detail"]
    assert unknown.json()["code"] == "round_deliveries_not_found"
    assert member.json()["code"] == "coordinators_only"


async def test_a_delivery_that_keeps_failing_is_dead_lettered_with_its_reason(
    make_settings, sink
) -> None:
    sink.stop()
    settings = make_settings(smtp_url=sink.url, retry_base_s=0.05, max_attempts=2)
    round_id = uid("round")
    async with (
        serving(profiles_app(settings), settings.profiles_port) as base,
        httpx.AsyncClient(base_url=base) as profiles,
    ):
        a = await register(profiles, settings)
        b = await register(profiles, settings)
        nc = await nats.connect(operator_url(settings))
        js = nc.jetstream()
        dlq = await js.subscribe(subjects.dead_letter_subject("notifier"), deliver_policy="new")
        failed = await js.subscribe(subjects.NOTIFICATION_FAILED, deliver_policy="new")
        async with running(notifier_app(settings, FAST)) as notifier:
            await js.publish(
                subjects.MATCH_MENTORING_PAIR, pair(a, b, round_id).model_dump_json().encode()
            )
            stack = {"notifier": notifier, "settings": settings}
            log = await wait_until(lambda: _settled(log_of(stack, round_id)), what="failed")
            events = [await failed.next_msg(timeout=10) for _ in range(2)]
            letters = [await dlq.next_msg(timeout=10) for _ in range(2)]
        await nc.close()
    assert log["counts"]["failed"] == 2
    failed_rows = [d for d in log["items"] if d["status"] == "failed"]
    assert all(
        d["reason"] == "gave_up" and d["reason_params"]["attempts"] == 2 for d in failed_rows
    )
    assert all("abandon après 2" in d["reason_text"] for d in failed_rows)
    bodies = [json.loads(m.data) for m in events]
    assert {e["member_id"] for e in bodies} == {a, b} and all(e["attempts"] == 2 for e in bodies)
    assert all(e["reason"] == "gave_up:smtp_failed" for e in bodies)  # codes in events
    assert all(
        "gave_up:smtp_failed" in (m.headers or {}).get("Entraide-Reason", "") for m in letters
    )


async def test_a_message_refused_at_its_end_is_retried_and_delivered_once(stack, sink) -> None:
    sink.data_reply = "451 4.3.0 file d'attente pleine"  # refused after the commit point
    mentor = await register(stack["profiles"], stack["settings"], name="Léa Martin")
    mentee = await register(stack["profiles"], stack["settings"], name="Sam Lee")
    round_id = uid("round")
    await publish(stack["js"], pair(mentor, mentee, round_id))

    async def refused() -> bool:
        email = [d for d in (await log_of(stack, round_id)).get("items", [])
                 if d["channel"] == "email"]  # fmt: skip
        return len(email) == 2 and all(
            "451" in str((d["reason_params"] or {}).get("detail")) for d in email
        )

    await wait_until(refused, what="both emails refused with the server's reply")
    sink.data_reply = "250 OK"
    log = await wait_until(lambda: _settled(log_of(stack, round_id)), what="log settled")
    await asyncio.sleep(0.5)
    email = [d for d in log["items"] if d["channel"] == "email"]
    assert {d["status"] for d in email} == {"sent"} and all(d["attempts"] >= 2 for d in email)
    assert sorted(sink.per_recipient().values()) == [1, 1]
