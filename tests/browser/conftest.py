"""Browser fixtures: chromium through Playwright, and the whole stack with the portal.

``browser`` skips with the reason when chromium, Playwright or axe-core is missing
(and fails under ``CI=true``). ``portal`` starts what ``entraide up`` starts (nats-server,
profiles, matcher, notifier, the portal) as separate processes, with the SMTP sink as
the notifier's relay, once per test session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.harness import launch_options, new_context, require_browser
from tests.browser.stack import Portal, running_portal


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, for one test module.

    Not for the session: Playwright's sync API keeps an asyncio loop running in this
    thread while it is open, which would break every later test that runs a loop.
    """
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(**launch_options())
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh context (JavaScript on)."""
    context = new_context(browser)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def own_portal(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Portal]:
    """A stack for one test module alone, for a module whose rounds other tests must not
    read (a module asks for it by defining ``portal`` as this fixture)."""
    require_browser()
    name = request.module.__name__.rsplit(".", 1)[-1]
    with running_portal(tmp_path_factory.mktemp(name)) as portal:
        yield portal


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The whole stack with the portal, started once per session (after the browser check)."""
    require_browser()
    with running_portal(tmp_path_factory.mktemp("portal-stack")) as portal:
        yield portal
