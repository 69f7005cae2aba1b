"""Issue 12's last screens in a real browser: a member reads who is in their group on
« Ma proposition »; the coordinator closes that group from the round's page with
JavaScript turned off, then reads its closing surveys, comments included. Every page
passes axe-core in French and in English."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.auth import mint_token
from shared.vocabulary import translate
from tests.browser.harness import assert_accessible, new_context
from tests.browser.stack import COORDINATOR_EMAIL, Portal, seed_network

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.nats]
LANGUAGES = ("fr", "en")


@pytest.fixture(scope="module")
def portal(own_portal: Portal) -> Portal:
    """A stack of its own: closing a group changes the round other tests read."""
    return own_portal


def in_language(page: Any, portal: Portal, lang: str, path: str) -> None:
    page.goto(f"{portal.url}/langue?vers={lang}&retour={path}")


def answer_survey(portal: Portal, member: str, match_id: str, comment: str) -> None:
    token = mint_token(portal.settings, member)
    said = httpx.post(portal.api("matcher") + f"/me/matches/{match_id}/feedback",
                      json={"satisfaction": 5, "would_recommend": True, "comment": comment},
                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert said.status_code == 200, said.text


def test_a_member_sees_who_with_and_the_coordinator_closes_and_reads_the_surveys(
    portal: Portal, browser: Any
) -> None:
    network = seed_network(portal, size=24, seed=9)
    matcher, rid = portal.api("matcher"), network.round_id
    with portal.as_coordinator() as hr:
        groups = hr.get(matcher + f"/rounds/{rid}/matches?limit=500").json()["items"]
        mine = next(g for g in groups if network.grouped in g["members"])
        names = {m: hr.get(portal.api("profiles") + f"/members/{m}").json()["display_name"]
                 for m in mine["members"]}  # fmt: skip

    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, network.emails[network.grouped])
        for lang in LANGUAGES:
            in_language(page, portal, lang, f"/propositions/{mine['id']}")
            cards = page.locator(".partners").inner_text()
            assert translate("portal.partners_title", lang) in page.locator("main").inner_text()
            others = [n for m, n in names.items() if m != network.grouped]
            # names are not unique (the synthetic community has namesakes): the member's own
            # name appears only as often as namesakes of theirs are in the group
            mine_shown = cards.count(names[network.grouped])
            assert all(n in cards for n in others) and mine_shown == others.count(
                names[network.grouped]
            )
            assert_accessible(page)
    finally:
        context.close()

    confirm = f"/coordination/mises-en-relation/{mine['id']}/clore"
    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        portal.sign_in(page, COORDINATOR_EMAIL)
        page.goto(f"{portal.url}/coordination/tours/{rid}")
        with page.expect_navigation():
            page.locator(f"a[href='{confirm}']").click()
        assert page.locator("#close-state").get_attribute("data-state") == "open"
        with page.expect_navigation():
            page.get_by_role("button", name=translate("portal.close_button", "fr")).click()
        assert page.locator("#close-outcome").get_attribute("data-outcome") == "closed"
        assert page.locator("#close-state").get_attribute("data-state") == "closed"
    finally:
        context.close()
    with portal.as_coordinator() as hr:
        course = hr.get(matcher + f"/matches/{mine['id']}/course").json()
    assert course["closed_reason"] == "coordinator"
    answer_survey(portal, network.grouped, mine["id"], "Un groupe qui m'a beaucoup appris")

    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, COORDINATOR_EMAIL)
        still_open = next(g["id"] for g in groups if g["id"] != mine["id"])
        for lang in LANGUAGES:
            in_language(page, portal, lang, f"/coordination/mises-en-relation/{still_open}/clore")
            assert page.get_by_role("button", name=translate("portal.close_button", lang)
                                    ).count() == 1  # fmt: skip
            assert_accessible(page)  # the confirmation, before closing
            in_language(page, portal, lang, confirm)
            assert page.get_by_role("button", name=translate("portal.close_button", lang)
                                    ).count() == 0  # fmt: skip
            assert_accessible(page)  # after: what happened, and nothing left to press
            in_language(page, portal, lang, f"/coordination/tours/{rid}/avis")
            table = page.locator("#feedback").inner_text()
            assert "Un groupe qui m'a beaucoup appris" in table and names[network.grouped] in table
            assert translate("portal.feedback_results_title", lang) in page.title()
            assert_accessible(page)
            in_language(page, portal, lang, f"/coordination/tours/{rid}")
            assert_accessible(page)  # the round's page with its close links
    finally:
        context.close()
