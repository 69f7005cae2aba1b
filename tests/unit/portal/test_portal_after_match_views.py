"""After the announcement, in the portal: « Ma proposition » names the match's other
people (never their address), the coordinators read a round's closing surveys a page at
a time and close a match once; every page renders in French and English."""

from __future__ import annotations

import asyncio
import doctest
from pathlib import Path
from typing import Any

import httpx
import pytest
from jinja2 import Environment, FileSystemLoader

from services.portal.domain import partners as partners_module
from services.portal.domain.errors import PageNotFound, ServiceUnavailable
from services.portal.domain.partners import Partner
from services.portal.service_layer import closing, proposals
from shared.vocabulary import translate
from tests.unit.portal.test_portal_services import MEMBER, services_over

TEMPLATES = Path(proposals.__file__).resolve().parents[1] / "templates"
PAIR = {"id": "p1", "round_id": "r1", "kind": "mentoring", "members": ["me", "bea"],
        "data": {"mentor_id": "bea", "mentee_id": "me"}, "locked": False,
        "explanation": "Bea partage Excel (niveau 4), que vous voulez apprendre."}  # fmt: skip
BEA = {"id": "bea", "display_name": "Béatrice Roux", "email": "bea@example.org",
       "site": "Lyon", "function": "contrôleuse de gestion", "external_id": "HR-9"}  # fmt: skip
COURSE = {"match_id": "p1", "round_id": "r1", "kind": "mentoring", "member_ids": ["me", "bea"],
          "facilitator_id": None, "starts_on": "2027-01-04", "ends_on": "2027-07-04",
          "rhythm_weeks": None, "due_sessions": [], "sessions": [], "closed_at": None,
          "closed_reason": None}  # fmt: skip


def test_the_examples_of_the_partner_cards_run() -> None:
    result = doctest.testmod(partners_module)
    assert result.attempted > 0 and result.failed == 0


def test_profiles_answers_are_cut_to_name_site_and_function_before_any_page() -> None:
    calls: list[httpx.Request] = []

    def profiles(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={"items": [BEA], "total": 1, "limit": 500, "offset": 0})

    async def scenario() -> dict[str, dict[str, str]]:
        services = services_over(profiles)  # type: ignore[arg-type]
        try:
            return await services.as_person(MEMBER, "fr").people(["bea", "bea"])
        finally:
            await services.aclose()

    found = asyncio.run(scenario())
    assert found == {"bea": {"display_name": "Béatrice Roux", "site": "Lyon",
                             "function": "contrôleuse de gestion"}}  # fmt: skip
    assert [c.url.path for c in calls] == ["/members/by-id"]
    assert calls[0].url.params.get_list("id") == ["bea"]


class FakePerson:
    """One member's calls: their matches and the people the portal may name."""

    def __init__(self, profiles_up: bool = True) -> None:
        self.asked: list[list[str]] = []
        self.profiles_up = profiles_up

    async def my_matches(self) -> list[dict[str, Any]]:
        return [dict(PAIR)]

    async def match_life(self, match_id: str) -> dict[str, Any]:
        return {"state": "pending", "deadline": "2027-01-11T09:00:00+00:00"}

    async def people(self, ids: list[str]) -> dict[str, dict[str, str]]:
        self.asked.append(ids)
        if not self.profiles_up:
            raise ServiceUnavailable(status=503)
        return {i: partners_module.shown(BEA) for i in ids if i == "bea"}


async def test_my_proposal_names_my_mentor_and_asks_profiles_for_nobody_else() -> None:
    person = FakePerson()
    page = await proposals.page(person, "p1", "me")  # type: ignore[arg-type]
    assert page.partners == [Partner("Béatrice Roux", "Lyon", "contrôleuse de gestion", "mentor")]
    assert person.asked == [["bea"]]


async def test_with_profiles_down_my_proposal_still_shows_why_and_lets_me_answer() -> None:
    page = await proposals.page(FakePerson(profiles_up=False), "p1", "me")  # type: ignore[arg-type]
    assert page.partners is None and page.life and page.life["state"] == "pending"
    shown = render("fr", "proposition.html", match=PAIR, partners=None, life=page.life,
                   reasons=("other",), fits=(), refused="", deadline="")  # fmt: skip
    assert translate("portal.partners_unavailable", "fr") in shown
    assert translate("portal.life_accept", "fr") in shown and PAIR["explanation"] in shown


async def test_a_match_i_am_not_in_is_a_404_and_names_nobody() -> None:
    person = FakePerson()
    with pytest.raises(PageNotFound):
        await proposals.page(person, "someone-elses", "me")  # type: ignore[arg-type]
    assert person.asked == []


def render(lang: str, template: str, **context: Any) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES))
    env.globals.update(t=lambda code, **kw: translate(code, lang, **kw), csrf_token="tok",
                       path="/coordination/tours", lang=lang, user=None)  # fmt: skip
    return env.get_template(template).render(**context)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_my_proposal_shows_who_with_and_why_in_both_languages(lang: str) -> None:
    cards = [Partner("Béatrice Roux", "Lyon", "contrôleuse de gestion", "mentor"),
             Partner(erased=True)]  # fmt: skip
    page = render(lang, "proposition.html", match=PAIR, partners=cards, life=None,
                  reasons=(), fits=(), refused="", deadline="")  # fmt: skip
    assert translate("portal.partners_title", lang) in page and "Béatrice Roux" in page
    assert translate("portal.partner_role_mentor", lang) in page
    assert translate("portal.partner_site", lang, site="Lyon") in page
    assert translate("portal.erased_member", lang) in page
    assert PAIR["explanation"] in page and "bea@example.org" not in page


class FakeCoordination:
    """A coordinator's calls to the matcher and profiles, with a course that closes."""

    def __init__(self, closed_at: str | None = None) -> None:
        self.course_now = dict(COURSE, closed_at=closed_at)
        self.closed: list[str] = []

    async def course(self, match_id: str) -> dict[str, Any]:
        return dict(self.course_now)

    async def close(self, match_id: str) -> dict[str, Any]:
        self.closed.append(match_id)
        self.course_now.update(closed_at="2027-02-01T10:00:00+00:00", closed_reason="coordinator")
        return dict(self.course_now)

    async def names_by_id(self, ids: set[str]) -> dict[str, dict[str, Any]]:
        return {i: {"id": i, "display_name": i.title()} for i in ids}

    async def round(self, round_id: str) -> dict[str, Any]:
        return {"id": round_id, "name": "Mentorat 2027", "kind": "mentoring"}

    async def round_feedback(self, round_id: str, limit: int, offset: int) -> dict[str, Any]:
        items = [{"match_id": "p1", "member_id": "bea", "requested_at": "2027-02-01T10:00:00",
                  "satisfaction": 5, "would_recommend": True, "comment": "Très utile",
                  "answered_at": "2027-02-03T08:00:00"},
                 {"match_id": "p1", "member_id": "me", "requested_at": "2027-02-01T10:00:00",
                  "satisfaction": None, "would_recommend": None, "comment": "",
                  "answered_at": None}]  # fmt: skip
        return {"items": items, "total": 142, "limit": limit, "offset": offset}


async def test_closing_twice_closes_once_and_says_so() -> None:
    c = FakeCoordination()
    assert await closing.close(c, "p1") == "closed"  # type: ignore[arg-type]
    assert await closing.close(c, "p1") == "already"  # type: ignore[arg-type]
    assert c.closed == ["p1"]


async def test_the_survey_page_is_one_page_of_rows_with_names() -> None:
    page = await closing.feedback_page(FakeCoordination(), "r1", 20)  # type: ignore[arg-type]
    assert page.names == {"bea": "Bea", "me": "Me"} and len(page.items) == 2
    assert (page.pager.total, page.pager.offset, page.pager.next) == (142, 20, 70)


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_coordinators_survey_and_close_pages_render_in_both_languages(
    lang: str,
) -> None:
    c = FakeCoordination()
    results = await closing.feedback_page(c, "r1", 0)  # type: ignore[arg-type]
    page = render(lang, "coord_avis.html", page=results)
    assert translate("portal.feedback_results_title", lang) in page and "Très utile" in page
    assert translate("portal.feedback_not_answered", lang, day="2027-02-01") in page
    shown = await closing.close_page(c, "p1")  # type: ignore[arg-type]
    confirm = render(lang, "coord_clore.html", page=shown, done="")
    assert translate("portal.close_button", lang) in confirm and "Bea" in confirm
    await closing.close(c, "p1")  # type: ignore[arg-type]
    shown = await closing.close_page(c, "p1")  # type: ignore[arg-type]
    done = render(lang, "coord_clore.html", page=shown, done="already")
    assert translate("portal.close_done_already", lang, day="2027-02-01") in done
    assert translate("portal.close_button", lang) not in done  # nothing left to press
