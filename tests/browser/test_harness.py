"""The browser harness itself: it finds real accessibility faults, drives the keyboard,
reads sign-in links, and never lets a missing browser pass silently."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from deploy.local.smtp_sink import Received
from tests.browser.harness import (
    assert_accessible,
    focus_is_visible,
    links_to,
    missing_parts,
    new_context,
    require_browser,
    sign_in_link,
    split_by_impact,
    tab_to,
)

GOOD_FORM = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Connexion — Entraide</title>
<style>body{font-family:sans-serif;color:#1a1a1a;background:#fff}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}</style></head>
<body><main><h1>Connexion</h1>
<form method="post" action="/sent">
  <label for="email">Adresse e-mail professionnelle</label>
  <input id="email" name="email" type="email" autocomplete="email" required>
  <button type="submit">Recevoir un lien de connexion</button>
</form></main></body></html>"""

BAD_FORM = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Connexion</title></head>
<body><main><h1>Connexion</h1>
<p style="color:#bbb;background:#fff">Texte presque invisible</p>
<form><input name="email" type="email"><button></button></form>
</main></body></html>"""


def test_a_missing_chromium_is_named_with_how_to_install_it(tmp_path: Path) -> None:
    missing = missing_parts(chromium=tmp_path / "chromium", axe=tmp_path / "axe.min.js")
    assert any("apt-get install -y chromium" in part for part in missing)


def test_a_missing_browser_skips_with_the_reason_outside_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium"):
        require_browser(chromium=tmp_path / "chromium")


def test_a_missing_browser_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must provide the browser"):
        require_browser(chromium=tmp_path / "chromium")


def test_only_serious_and_critical_violations_fail_a_page() -> None:
    found = [
        {"id": r, "impact": i}
        for r, i in [("a", "minor"), ("b", "serious"), ("c", "moderate"), ("d", "critical")]
    ]
    failing, other = split_by_impact(found)
    assert [v["id"] for v in failing] == ["b", "d"]
    assert [v["id"] for v in other] == ["a", "c"]


def test_sign_in_links_are_read_from_the_newest_e_mail_to_that_person() -> None:
    def mail(to: str, link: str) -> Received:
        message = EmailMessage()
        message.set_content(f"Bonjour,\nVotre lien : {link}.\nIl expire dans 15 minutes.")
        return Received(to, "k", message)

    sink = SimpleNamespace(
        received=[
            mail("ana@example.org", "http://127.0.0.1:9/connexion/old"),
            mail("bob@example.org", "http://127.0.0.1:9/connexion/bob"),
            mail("ana@example.org", "http://127.0.0.1:9/connexion/new?t=1"),
            mail("ana@example.org", "http://127.0.0.1:9/propositions/m1"),  # an announcement
        ]
    )
    assert sign_in_link(sink, "Ana@example.org", "http://127.0.0.1:9", timeout=1) == (
        "http://127.0.0.1:9/connexion/new?t=1"
    )
    text = "ailleurs http://127.0.0.10:9/x et ici http://127.0.0.1:9."
    assert links_to(text, "http://127.0.0.1:9") == ["http://127.0.0.1:9"]


@pytest.mark.browser
def test_axe_core_passes_a_labelled_french_form(page: Any) -> None:
    page.set_content(GOOD_FORM)
    assert_accessible(page)


@pytest.mark.browser
def test_axe_core_fails_an_unlabelled_input_an_empty_button_and_low_contrast(page: Any) -> None:
    page.set_content(BAD_FORM)
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    for rule in ("label", "button-name", "color-contrast"):
        assert rule in str(failure.value), str(failure.value)


@pytest.mark.browser
def test_a_form_is_reached_filled_and_submitted_with_tab_and_enter(page: Any) -> None:
    submitted: list[str] = []

    def receive(route: Any) -> None:
        submitted.append(route.request.post_data or "")
        route.fulfill(body="<html lang=fr><title>ok</title></html>", content_type="text/html")

    page.route("http://127.0.0.1:9/sent", receive)
    page.route(
        "http://127.0.0.1:9/",
        lambda route: route.fulfill(body=GOOD_FORM, content_type="text/html"),
    )
    page.goto("http://127.0.0.1:9/")
    tab_to(page, "#email")
    assert focus_is_visible(page)
    page.keyboard.type("ana@example.org")
    page.keyboard.press("Enter")
    page.wait_for_url("http://127.0.0.1:9/sent")
    assert submitted == ["email=ana%40example.org"]


@pytest.mark.browser
def test_a_page_without_javascript_still_posts_its_form(browser: Any) -> None:
    context = new_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.route(
            "http://127.0.0.1:9/",
            lambda route: route.fulfill(body=GOOD_FORM, content_type="text/html"),
        )
        page.route(
            "http://127.0.0.1:9/sent",
            lambda route: route.fulfill(
                body="<html><title>ok</title></html>", content_type="text/html"
            ),
        )
        page.goto("http://127.0.0.1:9/")
        assert page.evaluate("1 + 1") == 2  # Playwright's own scripts still run
        page.get_by_label("Adresse e-mail professionnelle").fill("ana@example.org")
        page.get_by_role("button", name="Recevoir un lien de connexion").click()
        page.wait_for_url("http://127.0.0.1:9/sent")
    finally:
        context.close()


def test_axe_results_are_recorded_per_page_and_summarised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ENTRAIDE_AXE_REPORT set, each check is one line; ids fold into one page."""
    from bench.accessibility_report import summarise
    from tests.browser.harness import AXE_REPORT_ENV, record_axe_result

    record_axe_result("http://x/propositions/" + "a" * 32, [])  # unset: nothing written
    report = tmp_path / "axe.jsonl"
    monkeypatch.setenv(AXE_REPORT_ENV, str(report))
    record_axe_result("http://127.0.0.1:1/propositions/" + "a" * 32 + "?x=1", [])
    record_axe_result(
        "http://127.0.0.1:1/propositions/" + "b" * 32,
        [{"id": "region", "impact": "moderate", "nodes": [{}, {}]}],
    )
    record_axe_result("http://127.0.0.1:1/profil", [{"id": "x", "impact": "serious", "nodes": []}])
    record_axe_result("about:blank", [{"id": "y", "impact": "critical", "nodes": []}])  # fixture
    lines = [json.loads(raw) for raw in report.read_text().splitlines()]
    assert [line["page"] for line in lines] == ["/propositions/<id>"] * 2 + ["/profil"]
    pages, totals, rules = summarise(lines)
    assert pages["/propositions/<id>"]["checks"] == 2
    assert pages["/propositions/<id>"]["moderate"] == 1
    assert totals["serious"] == 1 and totals["checks"] == 3
    assert rules == {"region (moderate)": 1, "x (serious)": 1}
