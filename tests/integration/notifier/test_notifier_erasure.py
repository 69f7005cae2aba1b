"""GDPR: ``member.erased`` removes the member's deliveries and inbox entries, the
partners' entries stop naming them, and their tokens are refused (issue 10, item 7)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest

from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from shared.events import Explanation, GroupMatched, MemberErased, MentoringPairMatched
from tests.integration.notifier.receivers import HttpReceiver
from tests.support import bearer, eventually, operator_jetstream, running

pytestmark = pytest.mark.nats


async def test_an_erased_member_leaves_nothing_in_the_notifier(make_settings) -> None:
    settings = make_settings()
    async with running(notifier_app(settings)) as notifier:
        js = operator_jetstream(notifier)
        event = MentoringPairMatched(
            producer="matcher",
            match_id="m-erase-1",
            round_id="r-erase-1",
            mentor_id="mentor-erase-1",
            mentee_id="mentee-erase-1",
            explanation=Explanation(),
        )
        await js.publish(event.subject, event.model_dump_json().encode())
        gone, stays = bearer(settings, "mentee-erase-1"), bearer(settings, "mentor-erase-1")

        async def inbox_of(headers: dict[str, str]) -> list[dict[str, object]]:
            return list((await notifier.get("/inbox", headers=headers)).json()["items"])

        await eventually(lambda: inbox_of(gone))
        erased = MemberErased(producer="profiles", member_id="mentee-erase-1", version=3)
        await js.publish(erased.subject, erased.model_dump_json().encode())

        hr = bearer(settings, "hr", "coordinator")

        async def forgotten() -> bool:
            log = (await notifier.get("/rounds/r-erase-1/deliveries", headers=hr)).json()
            return all(d["member_id"] != "mentee-erase-1" for d in log["items"])

        await eventually(forgotten)
        assert len(await inbox_of(stays)) == 1
        refused = await notifier.get("/inbox", headers=gone)  # issued before the erasure
        assert refused.status_code == 401


FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


def _publisher(notifier: Any) -> Any:
    js = operator_jetstream(notifier)

    async def publish(event: Any) -> None:
        await js.publish(event.subject, event.model_dump_json().encode())

    return publish


async def _inbox(notifier: Any, headers: dict[str, str]) -> list[dict[str, Any]]:
    r = await notifier.get("/inbox", headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def _names(entries: list[dict[str, Any]], *needles: str) -> list[str]:
    text = json.dumps(entries, ensure_ascii=False)
    return [n for n in needles if n in text]


async def test_the_partners_inbox_entries_stop_naming_an_erased_member(
    make_settings: Any, db_url: str
) -> None:
    with HttpReceiver() as profiles:
        tag = uuid.uuid4().hex[:8]
        gone, mentor, other = f"gone-{tag}", f"mentor-{tag}", f"other-{tag}"
        profiles.members[gone] = {"display_name": "Léa Effacée", "email": "lea@example.com"}
        profiles.members[mentor] = {"display_name": "Marc Mentor", "email": "marc@example.com"}
        profiles.members[other] = {"display_name": "Olga Autre", "email": "olga@example.com"}
        settings = make_settings(profiles_url=profiles.base, notifier_db_url=db_url)
        round_id = f"r-erase-{tag}"
        async with running(notifier_app(settings, FAST)) as notifier:
            publish = _publisher(notifier)
            for n, mentee in enumerate((gone, other)):  # one message to the mentor: both
                await publish(MentoringPairMatched(
                    producer="matcher", match_id=f"{round_id}-{n}", round_id=round_id,
                    mentor_id=mentor, mentee_id=mentee, explanation=Explanation(),
                ))  # fmt: skip
            await publish(GroupMatched(
                producer="matcher", match_id=f"{round_id}-g", round_id=f"{round_id}-g",
                members=(gone, other, mentor), facilitator_id=gone,
            ))  # fmt: skip
            mine = bearer(settings, mentor)

            async def rendered() -> bool:
                entries = await _inbox(notifier, mine)
                return len(entries) == 3 and all(e["body"] for e in entries)

            await eventually(rendered)
            assert _names(await _inbox(notifier, mine), "Léa Effacée", gone)
            del profiles.members[gone]  # profiles erased them and publishes the event
            await publish(MemberErased(producer="profiles", member_id=gone, version=3))

            async def forgotten() -> bool:
                return not _names(await _inbox(notifier, mine), "Léa Effacée", gone)

            await eventually(forgotten)
            entries = await _inbox(notifier, mine)
            olga = bearer(settings, other)
            others = await _inbox(notifier, olga)

    assert len(entries) == 3 and all(e["body"] for e in entries)
    assert all("Olga Autre" in e["body"] for e in entries), "the others are still named"
    assert any("(membre retiré)" in e["body"] for e in entries)
    assert len(others) == 2 and not _names(others, "Léa Effacée", gone)


async def test_a_match_arriving_after_the_erasure_names_nobody_erased_and_tells_them_nothing(
    make_settings,
) -> None:
    with HttpReceiver() as profiles:
        tag = uuid.uuid4().hex[:8]
        gone, mentor = f"gone-{tag}", f"mentor-{tag}"
        # Profiles (or a cached lookup) still knows the name: the notifier must not use it.
        profiles.members[gone] = {"display_name": "Léa Effacée", "email": "lea@example.com"}
        profiles.members[mentor] = {"display_name": "Marc Mentor", "email": "marc@example.com"}
        settings = make_settings(profiles_url=profiles.base)
        round_id = f"r-late-{tag}"
        late = MentoringPairMatched(
            producer="matcher",
            match_id=f"{round_id}-m",
            round_id=round_id,
            mentor_id=mentor,
            mentee_id=gone,
            explanation=Explanation(),
        )  # fmt: skip — computed before the erasure, delivered after it
        async with running(notifier_app(settings, FAST)) as notifier:
            publish = _publisher(notifier)
            await publish(MemberErased(producer="profiles", member_id=gone, version=3))
            await asyncio.sleep(0.5)
            await publish(late)
            mine = bearer(settings, mentor)
            entries = await eventually(lambda: _inbox_rendered(notifier, mine))
            hr = bearer(settings, "hr", "coordinator")
            log = (await notifier.get(f"/rounds/{round_id}/deliveries", headers=hr)).json()

    assert not _names(entries, "Léa Effacée", gone) and "(membre retiré)" in entries[0]["body"]
    assert {d["member_id"] for d in log["items"]} == {mentor}, "nothing kept for the erased"


async def _inbox_rendered(notifier: Any, headers: dict[str, str]) -> Any:
    entries = await _inbox(notifier, headers)
    return entries if entries and all(e["body"] for e in entries) else None


async def test_the_erased_members_tokens_are_refused_on_every_notifier_route(
    make_settings,
) -> None:
    settings = make_settings()
    gone = f"gone-{uuid.uuid4().hex[:8]}"
    before = bearer(settings, gone)
    async with running(notifier_app(settings, FAST)) as notifier:
        assert (await notifier.get("/inbox", headers=before)).status_code == 200
        await _publisher(notifier)(MemberErased(producer="profiles", member_id=gone, version=2))

        async def refused() -> bool:
            return (await notifier.get("/inbox", headers=before)).status_code == 401

        await eventually(refused)
        answer = await notifier.get("/inbox", headers=before)
        read = await notifier.post("/inbox/any/read", headers=before)
        await asyncio.sleep(1.1)  # token times are in seconds
        again = bearer(settings, gone)  # they registered again: a new token
        fresh = await notifier.get("/inbox", headers=again)

    assert answer.json()["code"] == "account_erased"
    assert read.status_code == 401 and read.json()["code"] == "account_erased"
    assert fresh.status_code == 200 and fresh.json()["items"] == []
