"""A repaired round over the real services: profiles on a real port, matcher and notifier
over a real nats-server, e-mail to a real SMTP sink. Only the people whose match changed
get a new message; everyone else keeps the one announcement they had."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from deploy.local.smtp_sink import SmtpSink
from services.matcher.main import create_app as matcher_app
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from services.profiles.main import create_app as profiles_app
from tests.integration.notifier.receivers import serving, wait_until
from tests.matcher_support import register, wait_projected, wait_state
from tests.support import bearer, running

pytestmark = pytest.mark.nats

FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


@pytest.fixture
def sink() -> Any:
    s = SmtpSink().start()
    yield s
    s.stop()


async def settled(notifier: httpx.AsyncClient, hr: dict, rid: str, ids: set[str]) -> bool:
    """Every delivery of the round is final, and the given matches have theirs."""
    r = await notifier.get(f"/rounds/{rid}/deliveries?limit=500", headers=hr)
    if r.status_code != 200:
        return False
    items = r.json()["items"]
    final = all(i["status"] in ("sent", "skipped", "failed") for i in items)
    return final and ids <= {i["match_id"] for i in items}


async def test_a_repair_announces_only_the_changed_matches_and_cancels_the_orphaned_ones(
    make_settings, sink
) -> None:
    settings = make_settings(smtp_url=sink.url, retry_base_s=0.2, max_attempts=30)
    hr = bearer(settings, "hr", "coordinator")
    async with (
        serving(profiles_app(settings), settings.profiles_port) as base,
        httpx.AsyncClient(base_url=base) as profiles,
        running(matcher_app(settings)) as matcher,
        running(notifier_app(settings, FAST)) as notifier,
    ):
        people = [
            await register(profiles, hr, "Anne", "Lyon", mentor=True, mentor_capacity=2),
            await register(profiles, hr, "Bruno", "Lille", mentor=True, mentor_capacity=1),
            *[
                await register(profiles, hr, name, "Paris", mentee=True)
                for name in ("Chloe", "David", "Emma", "Farid")
            ],
        ]
        email = dict(people)
        await wait_projected(matcher, hr, len(people), email)
        body = {"client_request_id": uuid.uuid4().hex, "kind": "mentoring"}
        rid = (await matcher.post("/rounds", json=body, headers=hr)).json()["id"]
        await wait_state(matcher, rid, hr, "proposed")
        assert (await matcher.post(f"/rounds/{rid}/publish", headers=hr)).is_success
        first = (await matcher.get(f"/rounds/{rid}/matches", headers=hr)).json()["items"]
        assert len(first) == 3  # three places for four mentees
        await wait_until(lambda: settled(notifier, hr, rid, {m["id"] for m in first}), 60)
        told_once = Counter(r.to for r in sink.received)
        matched = {m for p in first for m in p["members"]}
        assert told_once == {email[m]: 1 for m in matched}

        anne, bruno = people[0][0], people[1][0]
        brunos_mentee = next(p["members"][1] for p in first if p["members"][0] == bruno)
        idle = next(m for m, _ in people[2:] if m not in matched)
        # 1. Bruno's mentee declines: Bruno's place goes to the mentee nobody had
        r = await matcher.post(
            f"/rounds/{rid}/repair",
            json={"departed": [brunos_mentee], "reason": "declined"},
            headers=hr,
        )
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["revision"] == 1 and set(report["changed_people"]) == {bruno, idle}
        await wait_until(lambda: settled(notifier, hr, rid, set(report["new_match_ids"])), 60)
        # 2. Anne leaves: her two mentees are left with no place; they are told
        r = await matcher.post(
            f"/rounds/{rid}/repair", json={"departed": [anne], "reason": "deactivated"}, headers=hr
        )
        second = r.json()
        annes = {p["members"][1] for p in first if p["members"][0] == anne}
        assert r.status_code == 200 and set(second["changed_people"]) == annes
        assert second["changed_count"] == 2 and not second["new_match_ids"]
        inbox = bearer(settings, next(iter(annes)))

        async def cancelled() -> bool:
            items = (await notifier.get("/inbox", headers=inbox)).json()["items"]
            return len(items) == 2

        await wait_until(cancelled, 60)
        await wait_until(lambda: settled(notifier, hr, rid, set()), 60)

        got = Counter(r.to for r in sink.received)
        expected = {email[m]: 1 for m in matched}
        expected[email[bruno]] += 1  # his new mentee
        expected[email[idle]] = 1  # placed by the repair: first message
        for m in annes:
            expected[email[m]] += 1  # the cancellation
        assert got == expected, "someone whose match did not change was told again"
        subjects = {r.subject for r in sink.received if r.to in {email[m] for m in annes}}
        assert "Entraide : votre proposition est annulée" in subjects
        rebruno = [r for r in sink.received if r.to == email[bruno]][-1]
        assert "Votre proposition précédente a changé" in rebruno.part("text/plain")
        repairs = (await matcher.get(f"/rounds/{rid}/repairs", headers=hr)).json()
        assert repairs["revision"] == 2 and [x["revision"] for x in repairs["repairs"]] == [1, 2]
