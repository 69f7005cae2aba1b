"""GDPR: ``member.erased`` removes the member's deliveries and inbox entries."""

from __future__ import annotations

import pytest

from services.notifier.main import create_app as notifier_app
from shared.events import Explanation, MemberErased, MentoringPairMatched
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats


async def test_an_erased_member_leaves_nothing_in_the_notifier(make_settings) -> None:
    settings = make_settings()
    async with running(notifier_app(settings)) as notifier:
        js = notifier._transport.app.state.broker.connection.jetstream()  # type: ignore[attr-defined]
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

        async def forgotten() -> bool:
            return await inbox_of(gone) == []

        await eventually(forgotten)
        assert len(await inbox_of(stays)) == 1
        hr = bearer(settings, "hr", "coordinator")
        log = (await notifier.get("/rounds/r-erase-1/deliveries", headers=hr)).json()
        assert all(d["member_id"] != "mentee-erase-1" for d in log["items"])
