"""The portal's clients of the services: the kept catalogue, calls made at once."""

from __future__ import annotations

import asyncio
import doctest
from typing import Any

import httpx

from services.portal.adapters import services as services_module
from services.portal.adapters.coordination import Coordination
from services.portal.adapters.services import Services
from services.portal.domain.session import SessionUser
from services.portal.service_layer import member_pages

MEMBER = SessionUser("m-1", "m@example.org", ("member",), "M")
COORDINATOR = SessionUser("hr-1", "hr@example.org", ("coordinator",), "HR")


def test_every_example_in_the_module_runs() -> None:
    result = doctest.testmod(services_module)
    assert result.attempted > 0 and result.failed == 0


class Recorder:
    """A stand-in for profiles, matcher and notifier: canned answers, calls counted."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(f"{request.method} {request.url.host}{request.url.path}")
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.01)  # long enough for the other calls of a page to start
        self.in_flight -= 1
        body: Any = {"items": [{"code": "excel", "label": "Excel", "read": False}],
                     "total": 1, "limit": 500, "offset": 0}  # fmt: skip
        if request.url.path == "/me":
            body = {"id": "m-1"}
        return httpx.Response(200, json=body)


def services_over(recorder: Recorder) -> Services:
    found = Services(lambda *_: "token", "http://profiles", "http://matcher", "http://notifier",
                     "portal")  # fmt: skip
    transport = httpx.MockTransport(recorder)
    for name in ("profiles", "matcher", "notifier"):
        old = getattr(found, name)
        setattr(found, name, httpx.AsyncClient(base_url=old.base_url, transport=transport))
    return found


def test_the_profile_page_reads_the_catalogue_once_until_a_coordinator_edits_it() -> None:
    async def scenario() -> list[str]:
        recorder = Recorder()
        services = services_over(recorder)
        person = services.as_person(MEMBER, "fr")
        await member_pages.profile(person)
        await member_pages.profile(person)
        await Coordination(services, COORDINATOR, "fr").create_entry("skills", {"label": "X"})
        await member_pages.profile(services.as_person(MEMBER, "en"))
        await services.aclose()
        return recorder.calls

    calls = asyncio.run(scenario())
    assert calls.count("GET profiles/skills") == 2
    assert calls.count("GET profiles/me") == 3


def test_the_home_page_asks_the_three_services_at_once() -> None:
    async def scenario() -> Recorder:
        recorder = Recorder()
        services = services_over(recorder)
        home = await member_pages.home(services.as_person(MEMBER, "fr"), is_member=True)
        assert home.unread == 1 and home.profile == {"id": "m-1"}
        await services.aclose()
        return recorder

    recorder = asyncio.run(scenario())
    assert sorted(recorder.calls) == ["GET matcher/me/matches", "GET notifier/inbox",
                                      "GET profiles/me"]  # fmt: skip
    assert recorder.most_in_flight == 3
