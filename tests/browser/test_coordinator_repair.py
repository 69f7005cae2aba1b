"""A coordinator repairs a published round in a real browser: from the round's page to
"Réparer le tour", names who left, and reads who changed; marks a member as having left
from the member's page. Every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from deploy.local.synthetic import community
from shared.vocabulary import translate
from tests.browser.harness import assert_accessible, new_context
from tests.browser.stack import COORDINATOR_EMAIL, Portal, seed_network

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.nats]


@pytest.fixture(scope="module")
def portal(own_portal: Portal) -> Portal:
    """A stack of its own: the repair changes the round other tests read."""
    return own_portal


def follow(portal: Portal, page: Any, start: str, action: str) -> None:
    """Signed in as the coordinator, from ``start`` the link ``action``: its page passes
    axe-core."""
    portal.sign_in(page, COORDINATOR_EMAIL)
    page.goto(f"{portal.url}{start}")
    with page.expect_navigation():
        page.get_by_role("link", name=action).click()
    assert_accessible(page)


def test_a_coordinator_repairs_a_round_and_sees_who_changed(portal: Portal, browser: Any) -> None:
    fr = lambda code, **p: translate(code, "fr", **p)  # noqa: E731
    network = seed_network(portal, size=24, seed=3)
    with portal.as_coordinator() as hr:
        rounds = hr.get(portal.api("matcher") + "/rounds").json()["items"]
        rid = next(r["id"] for r in rounds if r["state"] == "published")
    context = new_context(browser)
    try:
        page = context.new_page()
        follow(portal, page, f"/coordination/tours/{rid}", fr("portal.repair_action"))
        page.get_by_label(fr("portal.repair_departed_label")).fill(network.grouped)
        page.get_by_label(fr("portal.repair_reason_label")).select_option("declined")
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.repair_action")).click()
        status = page.get_by_role("status").first.inner_text()
        assert fr("portal.repair_done") in status and fr("portal.repair_revision", n=1) in status
        assert fr("portal.repair_reason_declined") in page.content()
        assert_accessible(page)
    finally:
        context.close()
    with portal.as_coordinator() as hr:
        found = hr.get(portal.api("matcher") + f"/rounds/{rid}/repairs").json()
    assert found["revision"] == 1 and found["departures"][0]["member_id"] == network.grouped


def test_a_coordinator_marks_a_member_as_having_left(portal: Portal, browser: Any) -> None:
    fr = lambda code, **p: translate(code, "fr", **p)  # noqa: E731
    with portal.as_coordinator() as hr:
        skills = hr.get(portal.api("profiles") + "/skills", params={"limit": 500}).json()
        person = community(1, skill_codes=[s["code"] for s in skills["items"]], seed=9,
                           tag=".depart")[0]  # fmt: skip
        person.pop("manager_index", None)
        mid = hr.post(portal.api("profiles") + "/members", json=person).json()["id"]
    context = new_context(browser)
    try:
        page = context.new_page()
        follow(portal, page, f"/coordination/membres/{mid}", fr("portal.leave_action"))
        page.get_by_label(fr("portal.leave_date_label")).fill("2026-11-20")
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.leave_action")).click()
        status = page.get_by_role("status").first.inner_text()
        assert fr("portal.leave_done_left", name=person["display_name"], day="2026-11-20") in status
        assert_accessible(page)
        page.goto(f"{portal.url}/coordination/membres/{mid}")
        assert "2026-11-20" in page.content()
        assert page.get_by_role("link", name=fr("portal.leave_action")).count() == 0
    finally:
        context.close()
    with portal.as_coordinator() as hr:
        assert hr.get(portal.api("profiles") + f"/members/{mid}").json()["left_on"] == "2026-11-20"
