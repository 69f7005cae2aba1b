"""Helpers for the portal's tests: the whole stack with an SMTP sink, and a browser-like
client that reads CSRF tokens from the pages and sign-in links from the sink."""

from __future__ import annotations

import html
import re
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from deploy.local.smtp_sink import SmtpSink
from deploy.local.synthetic import community

if TYPE_CHECKING:
    from tests.integration.portal.conftest import PortalStack

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
JETON = re.compile(r'name="jeton" value="([^"]+)"')
LINK = re.compile(r"(https?://\S+/connexion/lien\?jeton=[A-Za-z0-9_\-%]+)")


def wait(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def text_of(page: httpx.Response) -> str:
    """The page's text as a person reads it (entities decoded, tags kept)."""
    return html.unescape(page.text)


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:500]
    return found.group(1)


def mails_to(sink: SmtpSink, address: str) -> list[str]:
    return [r.part("text/plain") or str(r.message.get_payload()) for r in sink.received
            if r.to.lower() == address.lower()]  # fmt: skip


def ask_for_link(portal: httpx.Client, email: str) -> httpx.Response:
    form = portal.get("/connexion")
    return portal.post("/connexion", data={"email": email, "csrf_token": csrf_of(form)})


def last_link(sink: SmtpSink, email: str, before: int = 0) -> str:
    """The newest sign-in link among the mails after the first ``before`` (a match's
    announcement may arrive in between: it is skipped)."""

    def newest() -> str | None:
        links = [LINK.search(m) for m in mails_to(sink, email)[before:]]
        return next((f.group(1) for f in reversed(links) if f), None)

    found: str = wait(newest)
    return found


def sign_in(portal: httpx.Client, sink: SmtpSink, email: str) -> httpx.Response:
    """The whole e-mail sign-in as a person does it; the answer to the confirmation."""
    before = len(mails_to(sink, email))
    assert ask_for_link(portal, email).status_code == 200
    link = last_link(sink, email, before)
    confirm = portal.get(link)
    assert confirm.status_code == 200, confirm.text
    jeton = JETON.search(confirm.text)
    assert jeton
    return portal.post(
        "/connexion/lien", data={"jeton": jeton.group(1), "csrf_token": csrf_of(confirm)}
    )


def published_round(
    ps: PortalStack, kind: str, size: int, seed: int, tag: str,
    parameters: dict[str, Any] | None = None,
) -> tuple[str, list[dict]]:  # fmt: skip
    """``size`` new members created by HR, a round of ``kind`` over everyone run and
    published through the matcher's API: the round's id and its matches."""
    skills = ps.hr.get(ps.url("profiles") + "/skills", params={"limit": 500}).json()["items"]
    made = [
        {k: v for k, v in p.items() if k != "manager_index"}
        for p in community(size, skill_codes=[s["code"] for s in skills], seed=seed, tag=tag)
    ]
    ids = [ps.hr.post(ps.url("profiles") + "/members", json=p).json()["id"] for p in made]
    matcher = ps.url("matcher")
    wait(lambda: ps.hr.get(matcher + "/members/count").json()["members"] >= len(ids))
    body = {"client_request_id": uuid.uuid4().hex, "kind": kind, "parameters": parameters or {}}
    rid = ps.hr.post(matcher + "/rounds", json=body).json()["id"]
    wait(lambda: ps.hr.get(f"{matcher}/rounds/{rid}").json()["state"] == "proposed")
    assert ps.hr.post(f"{matcher}/rounds/{rid}/publish").is_success
    found = ps.hr.get(f"{matcher}/rounds/{rid}/matches", params={"limit": 500}).json()
    return rid, found["items"]
