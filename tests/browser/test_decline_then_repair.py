"""Issue 12 in a real browser: a member declines their group with a reason in the portal;
the coordinator finds the decline on the round's « Réparer le tour » page (the form
pre-filled with it), repairs, and reads that only the people concerned changed; a member
whose match changed finds the new announcement in their inbox, the others got nothing.
Every page passes axe-core."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shared.auth import mint_token
from shared.vocabulary import translate
from tests.browser.harness import assert_accessible, new_context
from tests.browser.stack import COORDINATOR_EMAIL, Portal, eventually, seed_network

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.nats]


@pytest.fixture(scope="module")
def portal(own_portal: Portal) -> Portal:
    """A stack of its own: the repair changes the round other tests read."""
    return own_portal


def inbox(portal: Portal, member: str) -> list[dict[str, Any]]:
    token = mint_token(portal.settings, member)
    found = httpx.get(portal.api("notifier") + "/inbox", params={"limit": 100},
                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    return list(found.json()["items"])


def test_a_member_declines_in_the_portal_and_the_coordinator_repairs_only_that_group(
    portal: Portal, browser: Any
) -> None:
    fr = lambda code, **p: translate(code, "fr", **p)  # noqa: E731
    network = seed_network(portal, size=24, seed=5)
    matcher = portal.api("matcher")
    with portal.as_coordinator() as hr:
        rounds = hr.get(matcher + "/rounds").json()["items"]
        rid = next(r["id"] for r in rounds if r["state"] == "published")
        groups = hr.get(matcher + f"/rounds/{rid}/matches?limit=500").json()["items"]
    mine = next(g for g in groups if network.grouped in g["members"])
    everyone = {m for g in groups for m in g["members"]} & network.emails.keys()
    told = {m: len(eventually(lambda m=m: inbox(portal, m))) for m in everyone}

    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, network.emails[network.grouped])
        page.goto(f"{portal.url}/propositions/{mine['id']}")
        assert_accessible(page)
        page.get_by_label(fr("decline.not_available")).check()
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.life_decline")).click()
        assert page.locator("#state").get_attribute("data-state") == "declined"
        assert_accessible(page)
    finally:
        context.close()

    with portal.as_coordinator() as hr:  # the matcher's consumer records the departure
        eventually(lambda: hr.get(matcher + f"/rounds/{rid}/repairs").json()["departures"])
    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, COORDINATOR_EMAIL)
        page.goto(f"{portal.url}/coordination/tours/{rid}")
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("link", name=fr("portal.repair_action")).click()
        assert fr("portal.repair_pending") in page.content()
        form = page.get_by_label(fr("portal.repair_departed_label"))
        assert form.input_value().split() == [network.grouped]  # pre-filled from the decline
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.repair_action")).click()
        status = page.get_by_role("status").first.inner_text()
        assert fr("portal.repair_done") in status and fr("portal.repair_revision", n=1) in status
        assert_accessible(page)
    finally:
        context.close()

    with portal.as_coordinator() as hr:
        report = hr.get(matcher + f"/rounds/{rid}/repairs").json()["repairs"][0]
        after = hr.get(matcher + f"/rounds/{rid}/matches?limit=500").json()["items"]
    changed = set(report["changed_people"])
    concerned = set(mine["members"]) | {m for g in after if g["id"] in report["new_match_ids"]
                                        for m in g["members"]}  # fmt: skip
    assert changed and changed <= concerned and network.grouped not in changed
    untouched = [g for g in groups if g["id"] != mine["id"]]
    assert all(g["id"] in {a["id"] for a in after} for g in untouched if not
               set(g["members"]) & changed)  # fmt: skip
    placed = {m for g in after if g["id"] in report["new_match_ids"] for m in g["members"]}
    newcomer = sorted(changed & placed & network.emails.keys())[0]

    def announced() -> dict[str, Any] | None:
        new = [e for e in inbox(portal, newcomer) if e["match_id"] in report["new_match_ids"]]
        return new[0] if new and new[0]["subject"] else None

    newest = eventually(announced)
    assert len(inbox(portal, newcomer)) == told[newcomer] + 1
    others = everyone - changed - {network.grouped}
    assert others and {m: len(inbox(portal, m)) for m in others} == {m: told[m] for m in others}

    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, network.emails[newcomer])
        page.goto(portal.url + "/messages")
        assert newest["subject"] in page.locator("main").inner_text()
        assert_accessible(page)
    finally:
        context.close()
