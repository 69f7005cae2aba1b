"""Screenshots of the portal's main pages, in French, for the README (``docs/screenshots``).

Starts the whole stack with the portal (as the browser tests do: separate processes on
127.0.0.1, the SMTP sink as the notifier's relay), creates 30 members and publishes a
groups round through the services' APIs, signs a member and the HR coordinator in by
e-mail link in Debian's chromium, and saves each page (desktop width, whole page; the
matches page also at a phone's width). Every page shot also passes the axe-core check.

The coordinator's pages: the members list, an import's report (a CSV with one bad row,
uploaded through the form), a seminar's proposal (a rotations round, left proposed)
with its quality report next to random and the adjustment forms, its seating plan, the
delivery log of the published round, and the dashboard of the network's health. Images
are 1280 px wide, at most :data:`MAX_HEIGHT` px high (the top of a long page).

    .venv/bin/python bench/screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.local.nats_server import free_port  # noqa: E402
from deploy.local.smtp_sink import SmtpSink  # noqa: E402
from tests.browser.harness import (  # noqa: E402
    assert_accessible,
    launch_options,
    missing_parts,
    new_context,
)
from tests.browser.stack import (  # noqa: E402
    COORDINATOR_EMAIL,
    Portal,
    PortalStack,
    eventually,
    portal_settings,
    seed_network,
)

#: (file name, path) of the member's pages, in the order of the README.
MEMBER_PAGES = [
    ("accueil", "/"),
    ("profil", "/profil"),
    ("mises-en-relation", "/mises-en-relation"),
    ("messages", "/messages"),
    ("mes-donnees", "/mes-donnees"),
]
PHONE = {"width": 390, "height": 844}
#: The tallest image kept (the top of a longer page), in CSS pixels.
MAX_HEIGHT = 1400
#: An HR file with one bad row (an impossible date), for the import report.
IMPORT_CSV = "\n".join([
    "email;display_name;site;function;skills;languages;groups;start_date",
    "ines.import@entreprise.example;Inès Import;Lyon;assistante de direction;;fr;oui;2026-11-02",
    "basile.import@entreprise.example;Basile Import;Paris;assistant RH;;fr;non;2015-01-05",
    "coralie.import@entreprise.example;Coralie Import;Nantes;assistante;;fr;oui;31/02/2020",
])  # fmt: skip


def shoot(page: Any, url: str | None, out: Path) -> None:
    """Save the page at ``url`` (or the page as it is, when ``url`` is ``None``)."""
    if url is not None:
        page.goto(url)
    assert_accessible(page)
    height = min(MAX_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
    width = page.viewport_size["width"]
    page.screenshot(path=str(out), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": height})  # fmt: skip
    print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def rounds_for_coordinator(portal: Portal) -> dict[str, str]:
    """Through the services' APIs: a seminar's rotations left proposed; and the
    published groups round of :func:`seed_network`. Which -> round id."""
    with portal.as_coordinator() as hr:
        listed = hr.get(portal.api("matcher") + "/rounds", params={"limit": 500}).json()
        published = next(r["id"] for r in listed["items"] if r["state"] == "published")
        made = {"published": published}
        first = hr.get(portal.api("matcher") + f"/rounds/{published}/matches",
                       params={"limit": 1}).json()["items"]  # fmt: skip
        made["closable"] = first[0]["id"]  # shown with its close button, not closed
        body = {"client_request_id": "shots-seminar", "kind": "rotations",
                "name": "Séminaire de printemps",
                "parameters": {"table_size": 6, "rounds": 3}}  # fmt: skip
        made["rotations"] = hr.post(portal.api("matcher") + "/rounds", json=body).json()["id"]
        url = portal.api("matcher") + f"/rounds/{made['rotations']}"
        done = eventually(lambda: (r := hr.get(url).json())["state"]
                          not in ("requested", "running") and r, timeout=180)  # fmt: skip
        if done["state"] != "proposed":
            raise AssertionError(f"the seminar round did not reach a proposal: {done}")
        deliveries = portal.api("notifier") + f"/rounds/{published}/deliveries"
        eventually(lambda: hr.get(deliveries).status_code == 200
                   and hr.get(deliveries).json()["total"] > 0, timeout=120)  # fmt: skip
    return made


def coordinator_pages(page: Any, portal: Portal, out: Path) -> None:
    made = rounds_for_coordinator(portal)
    base = portal.url + "/coordination"
    shoot(page, base, out / "coordination.png")
    shoot(page, base + "/membres", out / "coord-membres.png")
    page.goto(base + "/import")
    page.set_input_files("input[type=file]", files=[{
        "name": "rh.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}])  # fmt: skip
    page.check("#mode-keep")
    with page.expect_navigation():
        page.locator("form[enctype] [type=submit]").first.click()
    shoot(page, None, out / "coord-import.png")
    shoot(page, base + f"/tours/{made['rotations']}", out / "coord-tour.png")
    shoot(page, base + f"/tours/{made['rotations']}/plan-de-table", out / "coord-plan-de-table.png")
    shoot(page, base + f"/tours/{made['published']}/envois", out / "coord-envois.png")
    shoot(page, base + f"/tours/{made['published']}/avis", out / "coord-avis.png")
    shoot(page, base + f"/mises-en-relation/{made['closable']}/clore", out / "coord-clore.png")
    shoot(page, base + "/tableau-de-bord", out / "coord-tableau-de-bord.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if missing := missing_parts():
        sys.exit("cannot take screenshots without " + "; ".join(missing))
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, SmtpSink(port=free_port()) as sink:
        stack = PortalStack(portal_settings(Path(tmp), sink), say=lambda _: None)
        stack.start(timeout=90)
        try:
            portal = Portal(stack, sink)
            network = seed_network(portal, 30)
            with sync_playwright() as p:
                browser = p.chromium.launch(**launch_options())
                visitor = new_context(browser).new_page()
                shoot(visitor, portal.url + "/connexion", args.out / "connexion.png")
                member = new_context(browser).new_page()
                portal.sign_in(member, network.emails[network.grouped])
                for name, path in MEMBER_PAGES:
                    shoot(member, portal.url + path, args.out / f"{name}.png")
                member.goto(portal.url + "/mises-en-relation")  # « Ma proposition », named
                with member.expect_navigation():
                    member.locator("a[href^='/propositions/']").first.click()
                shoot(member, None, args.out / "proposition.png")
                phone = new_context(browser, viewport=PHONE, is_mobile=True).new_page()
                portal.sign_in(phone, network.emails[network.grouped])
                shoot(phone, portal.url + "/mises-en-relation", args.out / "telephone.png")
                hr = new_context(browser).new_page()
                portal.sign_in(hr, COORDINATOR_EMAIL)
                coordinator_pages(hr, portal, args.out)
                browser.close()
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
