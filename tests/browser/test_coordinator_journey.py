"""A coordinator in a real browser, over the real stack: imports HR's CSV, runs a groups
round, swaps two members, publishes; a member then finds the announcement in the
portal's inbox. Then a seminar round and its seating plan (the table cards, one
rotation, the whole plan to print). Every coordinator page visited passes axe-core."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from shared.vocabulary import translate
from tests.browser.harness import assert_accessible, new_context
from tests.browser.stack import COORDINATOR_EMAIL, Portal, eventually

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.nats]
SITES = ["Paris La Défense", "Lyon Part-Dieu", "Lille", "Nantes"]


def hr_csv(themes: list[str], rows: int = 24) -> bytes:
    out = io.StringIO()
    columns = ["email", "display_name", "site", "function", "themes", "groups", "seminars",
               "facilitator"]  # fmt: skip
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=";")
    writer.writeheader()
    for i in range(rows):
        writer.writerow(
            {
                "email": f"csv.{i:02d}@entreprise.example",
                "display_name": f"Assistante Csv {i:02d}",
                "site": SITES[i % len(SITES)],
                "function": "assistante de direction",
                "themes": themes[i % len(themes)],
                "groups": "oui",
                "seminars": "oui",
                "facilitator": "oui" if i % 6 == 0 else "non",
            }
        )
    return out.getvalue().encode()


def proposed_round(portal: Portal, page: Any, kind: str, name: str) -> str:
    """A round of ``kind`` made in the portal's form (checked by axe), once proposed: its URL."""
    fr = lambda code, **p: translate(code, "fr", **p)  # noqa: E731
    page.goto(portal.url + f"/coordination/tours/nouveau?type={kind}")
    assert_accessible(page)
    page.get_by_label(fr("portal.round_name")).fill(name)
    with page.expect_navigation():
        page.get_by_role("button", name=fr("portal.round_create_button")).click()
    round_url: str = page.url.split("?")[0]

    def proposed() -> bool:
        page.goto(round_url)
        return page.get_by_role("link", name=fr("portal.round_publish")).count() > 0

    eventually(proposed, timeout=90)
    return round_url


@pytest.fixture(scope="module")
def portal(own_portal: Portal) -> Portal:
    """A stack of its own: this round's history must not constrain the other tests'."""
    return own_portal


def test_a_coordinator_imports_runs_groups_swaps_publishes_and_the_member_is_told(
    portal: Portal, browser: Any
) -> None:
    fr = lambda code, **p: translate(code, "fr", **p)  # noqa: E731
    count_url = portal.api("matcher") + "/members/count"
    with portal.as_coordinator() as hr:  # HR's catalogue, read to write a valid file
        themes = hr.get(portal.api("profiles") + "/themes", params={"limit": 3}).json()
        before = hr.get(count_url).json()["members"]
    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, COORDINATOR_EMAIL)
        page.goto(portal.url + "/coordination/import")
        assert_accessible(page)
        content = hr_csv([t["code"] for t in themes["items"]])
        page.get_by_label(fr("portal.import_file_label")).set_input_files(
            {"name": "rh.csv", "mimeType": "text/csv", "buffer": content}
        )
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.import_button")).click()
        assert page.get_by_role("status").first.inner_text() == fr("portal.import_committed")
        assert_accessible(page)

        with portal.as_coordinator() as hr:  # the members reach the matcher by events
            eventually(lambda: hr.get(count_url).json()["members"] >= before + 24)
        round_url = proposed_round(portal, page, "groups", "Groupes — test navigateur")
        round_id = round_url.rsplit("/", 1)[1]
        assert_accessible(page)

        with portal.as_coordinator() as hr:  # two members of two different groups
            groups = hr.get(portal.api("matcher") + f"/rounds/{round_id}/matches").json()
        first, second = groups["items"][0], groups["items"][1]
        a = next(m for m in first["members"] if m != first["data"].get("facilitator_id"))
        b = next(m for m in second["members"] if m != second["data"].get("facilitator_id"))
        page.get_by_label(fr("portal.adjust_member_a")).fill("Personne Introuvable")
        page.get_by_label(fr("portal.adjust_member_b")).fill(b)
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.adjust_swap_button")).click()
        unknown = fr("portal.picker_unknown", text="Personne Introuvable")
        next_to_field = page.locator("#err-swap-member_a")
        assert next_to_field.count() == 1, page.locator("main").inner_text()[:500]
        assert next_to_field.inner_text() == unknown
        assert page.get_by_label(fr("portal.adjust_member_a")).get_attribute(
            "aria-invalid") == "true"  # fmt: skip
        assert_accessible(page)  # the form error next to its field
        page.get_by_label(fr("portal.adjust_member_a")).fill(a)
        page.get_by_label(fr("portal.adjust_member_b")).fill(b)
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.adjust_swap_button")).click()
        assert "done=adjusted" in page.url, page.locator("main").inner_text()[:500]
        with portal.as_coordinator() as hr:
            after = hr.get(portal.api("matcher") + f"/rounds/{round_id}/matches").json()
        swapped = {g["id"]: set(g["members"]) for g in after["items"]}
        assert b in swapped[first["id"]] and a in swapped[second["id"]]

        page.get_by_role("link", name=fr("portal.round_publish")).click()
        page.wait_for_url(re.compile(r"/publier$"))
        assert_accessible(page)
        with page.expect_navigation():
            page.get_by_role("button", name=fr("portal.publish_confirm_button")).click()
        assert "done=published" in page.url
        assert_accessible(page)
    finally:
        context.close()

    member = new_context(browser).new_page()
    portal.sign_in(member, "csv.01@entreprise.example")

    def announced() -> bool:
        member.goto(portal.url + "/messages")
        return member.locator("main li").count() > 0

    eventually(announced, timeout=90)
    assert_accessible(member)


def test_a_seminar_rounds_seating_plan_passes_axe_core_page_by_page(
    portal: Portal, browser: Any
) -> None:
    """After the import above (everyone in seminars too): a rotations round made in the
    form, then its table cards, one rotation and the whole plan, each checked by axe."""
    context = new_context(browser)
    try:
        page = context.new_page()
        portal.sign_in(page, COORDINATOR_EMAIL)
        round_url = proposed_round(portal, page, "rotations", "Séminaire — test navigateur")
        for path in ("/plan-de-table", "/plan-de-table?rotation=2", "/plan-de-table/tout"):
            page.goto(round_url + path)
            assert page.locator(".table-card").count() > 0, (path, page.url)
            assert_accessible(page)
    finally:
        context.close()
