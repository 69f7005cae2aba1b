"""The thin flow across the three services, over a real nats-server (no in-memory broker)."""

from __future__ import annotations

import httpx
import pytest

from services.matcher.main import create_app as matcher_app
from services.notifier.main import create_app as notifier_app
from services.profiles.main import create_app as profiles_app
from shared.events import Explanation, MentoringPairMatched
from tests.support import bearer, eventually, operator_jetstream, running

pytestmark = pytest.mark.nats

MEMBER = {
    "display_name": "Léa Martin",
    "email": "lea.martin@example.com",
    "site": "Lyon Part-Dieu",
    "function": "assistante de direction",
    "languages": ["fr", "en"],
    "skills": {"organisation_deplacements": 3},
    "themes": ["outils_numeriques"],
    "opt_ins": {"mentee": True},
}


async def test_a_registered_member_reaches_the_matcher_projection(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with (
        running(profiles_app(settings)) as profiles,
        running(matcher_app(settings)) as matcher,
    ):
        created = await profiles.post("/members", json=MEMBER, headers=hr)
        assert created.status_code == 201, created.text
        member_id = created.json()["id"]

        async def projected() -> httpx.Response | None:
            r = await matcher.get(f"/members/{member_id}", headers=hr)
            return r if r.status_code == 200 else None

        seen = await eventually(projected)
        assert isinstance(seen, httpx.Response)
        body = seen.json()
        assert body["version"] == 1
        assert body["profile"]["site"] == "Lyon Part-Dieu"
        assert "email" not in body["profile"] and "display_name" not in body["profile"]


async def test_a_published_match_reaches_both_members_inboxes(make_settings) -> None:
    settings = make_settings()
    async with running(notifier_app(settings)) as notifier:
        event = MentoringPairMatched(
            producer="matcher",
            match_id="match-flow-1",
            round_id="round-flow-1",
            mentor_id="mentor-flow-1",
            mentee_id="mentee-flow-1",
            explanation=Explanation(score=2.5, reasons=("skills:organisation_deplacements",)),
        )
        js = operator_jetstream(notifier)
        for _ in range(2):  # a redelivered copy must not add a second entry
            await js.publish(event.subject, event.model_dump_json().encode())

        for member in ("mentor-flow-1", "mentee-flow-1"):
            headers = bearer(settings, member)

            async def inbox(h: dict[str, str] = headers) -> list[dict[str, object]]:
                r = await notifier.get("/inbox", headers=h)
                return list(r.json()["items"])

            entries = await eventually(inbox)
            assert isinstance(entries, list)
            assert [e["match_id"] for e in entries] == ["match-flow-1"]
