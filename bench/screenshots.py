"""Screenshots of the portal's main pages, in French, for the README (``docs/screenshots``).

Starts the whole stack with the portal (as the browser tests do: separate processes on
127.0.0.1, the SMTP sink as the notifier's relay), creates 30 members and publishes a
groups round through the services' APIs, signs a member and the HR coordinator in by
e-mail link in Debian's chromium, and saves each page (desktop width, whole page; the
matches page also at a phone's width). Every page shot also passes the axe-core check.

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


def shoot(page: Any, url: str, out: Path) -> None:
    page.goto(url)
    assert_accessible(page)
    page.screenshot(path=str(out), full_page=True)
    print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


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
                phone = new_context(browser, viewport=PHONE, is_mobile=True).new_page()
                portal.sign_in(phone, network.emails[network.grouped])
                shoot(phone, portal.url + "/mises-en-relation", args.out / "telephone.png")
                hr = new_context(browser).new_page()
                portal.sign_in(hr, COORDINATOR_EMAIL)
                shoot(hr, portal.url + "/coordination", args.out / "coordination.png")
                browser.close()
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
