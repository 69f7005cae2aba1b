"""The browser tests' tools: Debian's chromium through Playwright, axe-core, sign-in links.

Playwright drives ``/usr/bin/chromium`` (Debian's package; Playwright's own browser
download is not used). axe-core comes from the npm registry through the repository's
``package-lock.json`` (``make install`` runs ``npm ci``) and is injected into each page.

Nothing here passes silently: when a part is missing, :func:`require_browser` skips
the test with the reason, and fails it under ``CI=true`` (as the PostgreSQL fixture does).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import pytest

ROOT: Final = Path(__file__).resolve().parents[2]
#: Debian's chromium; ``ENTRAIDE_CHROMIUM`` points elsewhere (another distribution).
CHROMIUM: Final = Path(os.environ.get("ENTRAIDE_CHROMIUM", "/usr/bin/chromium"))
#: axe-core as ``npm ci`` installs it from package-lock.json.
AXE_JS: Final = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: axe impacts that fail a page; the others are printed.
FAILING_IMPACTS: Final = frozenset({"serious", "critical"})
#: When set, each page checked appends one JSON line (path, violations by impact and
#: rule) to this file: the accessibility results of a run, read by
#: ``bench/accessibility_report.py``.
AXE_REPORT_ENV: Final = "ENTRAIDE_AXE_REPORT"


def missing_parts(chromium: Path = CHROMIUM, axe: Path = AXE_JS) -> list[str]:
    """What the browser tests need and this machine lacks, each with how to get it."""
    missing = []
    if importlib.util.find_spec("playwright") is None:
        missing.append('the Python package playwright (pip install -e ".[dev]")')
    if not (chromium.is_file() and os.access(chromium, os.X_OK)):
        missing.append(f"chromium at {chromium} (apt-get install -y chromium)")
    if not axe.is_file():
        missing.append(f"axe-core at {axe} (npm ci, which make install runs)")
    return missing


def require_browser(chromium: Path = CHROMIUM, axe: Path = AXE_JS) -> None:
    """Skip the calling test, with the reason, when a part is missing; fail it in CI."""
    missing = missing_parts(chromium, axe)
    if not missing:
        return
    reason = "browser tests need " + "; ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide the browser: {reason} (see .ci/run)")
    pytest.skip(reason)


def launch_options(chromium: Path = CHROMIUM) -> dict[str, Any]:
    """How Playwright launches Debian's chromium (``--no-sandbox``: tests run as root)."""
    return {"executable_path": str(chromium), "args": ["--no-sandbox"], "headless": True}


def new_context(browser: Any, **options: Any) -> Any:
    """A fresh browser profile (no cookies), French first, as a person's browser would be.

    ``bypass_csp``: axe-core is injected as an inline script, which the portal's
    Content-Security-Policy would refuse; the page itself is not changed otherwise.
    """
    defaults: dict[str, Any] = {
        "locale": "fr-FR",
        "extra_http_headers": {"Accept-Language": "fr-FR,fr;q=0.9"},
        "bypass_csp": True,
        "viewport": {"width": 1280, "height": 900},
    }
    return browser.new_context(**(defaults | options))


# -- accessibility -----------------------------------------------------------------------


def describe(violation: Mapping[str, Any]) -> str:
    """One axe violation in a line or a few: rule, impact, help, the elements concerned."""
    targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
    shown = ", ".join(targets[:5]) + (f" (+{len(targets) - 5})" if len(targets) > 5 else "")
    return (
        f"[{violation.get('impact')}] {violation['id']}: {violation['help']} "
        f"({violation.get('helpUrl', '')})\n    on {shown}"
    )


def split_by_impact(
    violations: Iterable[Mapping[str, Any]],
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """(violations that fail a page, the rest)."""
    failing: list[Mapping[str, Any]] = []
    other: list[Mapping[str, Any]] = []
    for v in violations:
        (failing if v.get("impact") in FAILING_IMPACTS else other).append(v)
    return failing, other


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now (the script is injected when absent)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def assert_accessible(page: Any) -> None:
    """Fail on any serious or critical axe-core violation; print the minor and moderate ones.

    The page keeps working without the injected script: it is added to the current
    document only (the next navigation drops it).
    """
    violations = axe_violations(page)
    record_axe_result(page.url, violations)
    failing, other = split_by_impact(violations)
    for v in other:
        print(f"axe ({page.url}): {describe(v)}")
    if failing:
        raise AssertionError(
            f"{len(failing)} serious or critical accessibility violation(s) on {page.url}:\n"
            + "\n".join(describe(v) for v in failing)
        )


def record_axe_result(url: str, violations: Iterable[Mapping[str, Any]]) -> None:
    """Append the page's result to ``$ENTRAIDE_AXE_REPORT`` (nothing when unset).

    The path is kept without its query and with ids (32 hex digits) replaced by ``<id>``,
    so the report groups one page's checks across tests.
    """
    target = os.environ.get(AXE_REPORT_ENV)
    if not target or not url.startswith("http"):  # about:blank: the harness's own fixtures
        return
    path = re.sub(r"[0-9a-f]{32}", "<id>", urlsplit(url).path)
    line = {
        "page": path,
        "violations": [
            {"id": v["id"], "impact": v.get("impact"), "nodes": len(v.get("nodes", []))}
            for v in violations
        ],
    }
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


# -- keyboard ----------------------------------------------------------------------------


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard-only use).

    Fails when ``limit`` presses never reach it: the element is out of the tab order.
    """
    element = page.locator(selector)
    for _ in range(limit):
        if element.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def focus_is_visible(page: Any) -> bool:
    """Whether the focused element draws a focus indicator (outline or box-shadow)."""
    return bool(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return false;
                const s = getComputedStyle(el);
                const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
                return outline || (s.boxShadow && s.boxShadow !== 'none');
            }"""
        )
    )


# -- sign-in links -----------------------------------------------------------------------

_URL = re.compile(r"https?://[^\s\"'<>]+")


def links_to(text: str, base_url: str) -> list[str]:
    """The URLs in ``text`` that point into ``base_url`` (a sign-in e-mail's body)."""
    base = base_url.rstrip("/")
    urls = [url.rstrip(".,;:!?)") for url in _URL.findall(text)]
    return [url for url in urls if url == base or url.startswith((base + "/", base + "?"))]


def sign_in_link(sink: Any, email: str, base_url: str, seen: int = 0, timeout: float = 30) -> str:
    """The newest sign-in link e-mailed to ``email`` after the sink's first ``seen`` messages
    (an announcement arriving meanwhile carries portal links too: those are not it).

    Waits up to ``timeout`` seconds: the notifier sends through the SMTP sink.
    """
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for received in reversed(sink.received[seen:]):
            if received.to.lower() != email.lower():
                continue
            body = received.part("text/plain") or received.part("text/html")
            found = [
                link
                for link in links_to(body.replace("&amp;", "&"), base_url)
                if "/connexion/" in link
            ]
            if found:
                return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no portal link e-mailed to {email} within {timeout} s")
