"""Members in a real browser, over the real stack (nats-server, the three services, the
portal, the SMTP sink): sign-in by e-mail link, their profile, their matches; what they
may not see; keyboard only; JavaScript off. Every page visited passes axe-core.

HR's side (members, a published groups round) is set up through the services' APIs,
as HR's own tools would; the member's side goes through the portal only.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from shared.auth import mint_token
from shared.vocabulary import translate
from tests.browser.harness import assert_accessible, new_context, sign_in_link, tab_to
from tests.browser.stack import COORDINATOR_EMAIL, Network, Portal, eventually, seed_network

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.nats]


@pytest.fixture(scope="session")
def network(portal: Portal) -> Network:
    """30 members created by HR, then a groups round run and published."""
    return seed_network(portal, 30)


def texts(code: str, **params: Any) -> str:
    """What a French reader sees for ``code`` (the portal's catalogue)."""
    return translate(code, "fr", **params)


def test_a_member_signs_in_by_e_mail_link_edits_their_profile_and_sees_their_match(
    portal: Portal, network: Network, page: Any
) -> None:
    portal.sign_in(page, network.emails[network.grouped])
    assert_accessible(page)

    page.goto(portal.url + "/profil")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
    page.get_by_label(texts("portal.languages_label")).fill("fr, en, es")
    with page.expect_navigation():
        page.get_by_role("button", name=texts("portal.save")).click()
    assert page.get_by_role("status").inner_text() == texts("portal.profile_saved")
    assert_accessible(page)
    token = mint_token(portal.settings, network.grouped, ("member",))
    me = httpx.get(
        portal.api("profiles") + "/me", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert set(me["languages"]) == {"fr", "en", "es"}

    page.goto(portal.url + "/mises-en-relation")
    card = page.locator(".cards .card").first
    assert card.get_by_role("heading", name=texts("portal.why_you")).is_visible()
    assert card.locator(".explanation").inner_text().strip()
    assert_accessible(page)


def test_a_member_gets_a_403_page_on_coordinator_pages_and_sees_only_their_own_data(
    portal: Portal, network: Network, page: Any
) -> None:
    portal.sign_in(page, network.emails[network.grouped])
    response = page.goto(portal.url + "/coordination")
    assert response is not None and response.status == 403
    assert "text/html" in response.headers["content-type"]
    assert page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    # Another member's page (coordinators only): refused, or absent until it exists.
    response = page.goto(portal.url + f"/coordination/membres/{network.other}")
    assert response is not None and response.status in (403, 404)
    assert network.emails[network.other] not in page.content()
    page.goto(portal.url + "/profil")
    body = page.locator("main").inner_text()
    assert network.emails[network.grouped] in body
    assert network.emails[network.other] not in body
    page.goto(portal.url + "/messages")
    assert network.emails[network.other] not in page.locator("main").inner_text()


def test_a_member_cannot_mark_another_members_message_read_through_the_portal(
    portal: Portal, network: Network, page: Any
) -> None:
    inbox_of = lambda member: httpx.get(  # noqa: E731
        portal.api("notifier") + "/inbox",
        headers={"Authorization": f"Bearer {mint_token(portal.settings, member)}"},
    ).json()["items"]
    theirs = eventually(lambda: inbox_of(network.other))
    portal.sign_in(page, network.emails[network.grouped])
    page.goto(portal.url + "/messages")
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    page.request.post(
        portal.url + f"/messages/{theirs[0]['id']}/lu", form={"csrf_token": csrf or ""}
    )
    after = {e["id"]: e["read"] for e in inbox_of(network.other)}
    assert after[theirs[0]["id"]] is False


def test_the_sign_in_form_and_the_profile_form_work_with_the_keyboard_only(
    portal: Portal, network: Network, page: Any
) -> None:
    email = network.emails[network.other]
    seen = len(portal.sink.received)
    page.goto(portal.url + "/connexion")
    tab_to(page, "#email")
    page.keyboard.type(email)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    page.goto(sign_in_link(portal.sink, email, portal.url, seen=seen))
    assert_accessible(page)
    tab_to(page, "form[action='/connexion/lien'] [type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == portal.url + "/"

    with portal.as_coordinator() as hr:
        catalogue = hr.get(portal.api("profiles") + "/themes", params={"limit": 2}).json()
    themes = [t["code"] for t in catalogue["items"]]
    page.goto(portal.url + "/profil")
    tab_to(page, "#themes", limit=120)
    page.keyboard.press("Control+A")
    page.keyboard.type(", ".join(themes))
    with page.expect_navigation():
        page.keyboard.press("Enter")  # implicit submission: the form's submit button
    assert page.get_by_role("status").inner_text() == texts("portal.profile_saved")
    assert set(page.locator("#themes").input_value().split(", ")) == set(themes)


def test_the_profile_form_works_with_javascript_turned_off(
    portal: Portal, network: Network, browser: Any
) -> None:
    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        portal.sign_in(page, network.emails[network.other])
        page.goto(portal.url + "/profil")
        page.get_by_label(texts("portal.opt_in_mentor")).check()
        page.get_by_label(texts("portal.capacity_label")).fill("2")
        with page.expect_navigation():
            page.get_by_role("button", name=texts("portal.save")).click()
        assert page.get_by_role("status").inner_text() == texts("portal.profile_saved")
        assert page.get_by_label(texts("portal.opt_in_mentor")).is_checked()
        assert page.locator("#mentor_capacity").input_value() == "2"
    finally:
        context.close()


#: Links that are not pages to check: the language switch, files, downloads, sign-out,
#: the printable whole seating plan and CSV exports (documents, not screens).
NOT_PAGES = re.compile(r"^/(langue|static/|deconnexion)|export|\.csv|/tout$")
_ID = re.compile(r"[0-9a-f]{32}")


def _pages_linked_from(page: Any) -> list[str]:
    """The portal pages this page links to, one per kind of page (ids aside: a round's
    page links to each of its matches, one of them stands for all)."""
    hrefs = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    paths = {h.split("#")[0] for h in hrefs} - {"/"}
    kinds: dict[str, str] = {}
    for path in sorted(paths):
        if not NOT_PAGES.search(path):
            kinds.setdefault(_ID.sub("<id>", path), path)
    return sorted(kinds.values())


def _pages_within_links(page: Any, base_url: str, starts: list[str], depth: int = 4) -> list[str]:
    """Every kind of page reachable from ``starts`` in at most ``depth`` links."""
    pages = list(starts)
    seen = {_ID.sub("<id>", p) for p in pages}
    frontier = list(starts)
    for _ in range(depth):
        found = []
        for path in frontier:
            page.goto(base_url + path)
            for linked in _pages_linked_from(page):
                if _ID.sub("<id>", linked) not in seen:
                    seen.add(_ID.sub("<id>", linked))
                    found.append(linked)
        pages += found
        frontier = found
    return pages


def test_every_page_a_member_or_a_coordinator_reaches_passes_axe_core_in_french_and_english(
    portal: Portal, network: Network, browser: Any
) -> None:
    checked = []
    for email in (network.emails[network.grouped], COORDINATOR_EMAIL):
        context = new_context(browser)
        try:
            page = context.new_page()
            page.goto(portal.url + "/connexion")
            assert_accessible(page)
            portal.sign_in(page, email)
            pages = _pages_within_links(page, portal.url, ["/", "/mes-donnees"])
            for lang in ("fr", "en"):
                page.goto(portal.url + f"/langue?vers={lang}&retour=/")
                for path in pages:
                    response = page.goto(portal.url + path)
                    assert response is not None and response.status == 200, path
                    assert page.locator("html").get_attribute("lang") == lang
                    assert_accessible(page)
                    checked.append((email, lang, path))
        finally:
            context.close()
    print(f"axe-core: no serious or critical violation on {len(checked)} page views")
    assert len(checked) >= 10
