"""Profiles finds members by a part of their name (the portal's name picker):
``GET /members/names?name=...`` and ``GET /members?name=...``, whatever the case."""

from __future__ import annotations

import pytest

from services.profiles.main import create_app
from tests.integration.profiles.profiles_support import member_payload
from tests.support import bearer, running

pytestmark = pytest.mark.nats


async def test_a_part_of_the_name_finds_the_members_whatever_the_case(make_settings) -> None:
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    async with running(create_app(settings)) as client:
        made = {}
        for name in ("Léa Martin", "Noé Martinez", "Inès Petit", "Élodie 100%_Vrai"):
            body = member_payload(display_name=name, site="Site-recherche")
            made[name] = (await client.post("/members", json=body, headers=hr)).json()["id"]

        async def found(text: str, path: str = "/members/names") -> list[str]:
            r = await client.get(path, params={"name": text, "site": "Site-recherche"},
                                 headers=hr)  # fmt: skip
            assert r.status_code == 200, r.text
            return [m["display_name"] for m in r.json()["items"]]

        assert await found("martin") == ["Léa Martin", "Noé Martinez"]
        assert await found("MARTINEZ") == ["Noé Martinez"]
        assert await found("Martin", "/members") == ["Léa Martin", "Noé Martinez"]
        assert await found("Élodie") == ["Élodie 100%_Vrai"]
        assert await found("%") == ["Élodie 100%_Vrai"], "% and _ are matched as typed"
        assert await found("_v") == ["Élodie 100%_Vrai"]
        assert await found("personne") == []
        blank = await client.get("/members/names", params={"name": ""}, headers=hr)
    assert blank.status_code == 422
