"""The whole stack with the portal, for the browser tests and the render benchmark.

:class:`PortalStack` runs what ``entraide up`` runs (nats-server, profiles, matcher,
notifier, the portal: separate processes on 127.0.0.1) with the SMTP sink as the
notifier's relay. :class:`Portal` signs people in the way they do: e-mail link, read
from the sink.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Final

import httpx

from deploy.local.nats_server import free_port
from deploy.local.smtp_sink import SmtpSink
from deploy.local.stack import Stack
from deploy.local.synthetic import community
from shared.auth import mint_token
from shared.settings import Settings
from tests.browser.harness import sign_in_link

PORTAL: Final = "portal"
#: The HR coordinator of the test network (``ENTRAIDE_COORDINATOR_EMAILS``).
COORDINATOR_EMAIL: Final = "rh@entreprise.example"
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
_JETON = re.compile(r'name="jeton" value="([^"]*)"')


def portal_settings(data_dir: Path, sink: SmtpSink, **overrides: Any) -> Settings:
    """Settings for a stack on free ports, e-mails to ``sink``."""
    values: dict[str, Any] = {
        "env": "test",
        "data_dir": data_dir,
        "nats_port": free_port(),
        "nats_http_port": 0,
        "profiles_port": free_port(),
        "matcher_port": free_port(),
        "notifier_port": free_port(),
        "portal_port": free_port(),
        "smtp_url": sink.url,
        "coordinator_emails": COORDINATOR_EMAIL,
    }
    return Settings(**(values | overrides))


@dataclass
class PortalStack(Stack):
    """The local stack (the portal included), configured from ``settings``: the SMTP
    relay, the coordinators' e-mails, the session secret, the largest request body."""

    def env(self, service: str = "") -> dict[str, str]:
        env = super().env(service)
        s = self.settings
        env["ENTRAIDE_SMTP_URL"] = s.smtp_url
        env["ENTRAIDE_COORDINATOR_EMAILS"] = s.coordinator_emails
        env["ENTRAIDE_SESSION_SECRET"] = s.session_secret.get_secret_value()
        env["ENTRAIDE_MAX_BODY_BYTES"] = str(s.max_body_bytes)
        return env

    @property
    def portal_url(self) -> str:
        return self.url(PORTAL)


@contextmanager
def running_portal(data_dir: Path) -> Iterator[Portal]:
    """A fresh stack with the portal and its SMTP sink, stopped on the way out."""
    with SmtpSink(port=free_port()) as sink:
        stack = PortalStack(portal_settings(data_dir, sink))
        stack.start(timeout=60)
        try:
            yield Portal(stack, sink)
        finally:
            stack.stop()


@dataclass
class Portal:
    """The running stack as the browser tests and the benchmark use it."""

    stack: PortalStack
    sink: SmtpSink

    @property
    def settings(self) -> Settings:
        return self.stack.settings

    @property
    def operator_url(self) -> str:
        """The stack's broker as the operator (the broker is closed to anonymous clients)."""
        assert self.stack.nats is not None, "the stack runs its own nats-server"
        return self.stack.nats.url

    @property
    def url(self) -> str:
        return self.stack.portal_url

    def api(self, service: str) -> str:
        return self.stack.url(service)

    def as_coordinator(self) -> httpx.Client:
        """An API client for setting data up (HR's own tools; never the portal's calls)."""
        token = mint_token(self.settings, "hr-setup", ("coordinator",))
        return httpx.Client(timeout=600, headers={"Authorization": f"Bearer {token}"})

    def sign_in(self, page: Any, email: str) -> None:
        """Sign ``email``'s owner in through the e-mail link, with the keyboard only.

        Opens the portal (a visitor lands on its sign-in page), types the address,
        presses Enter, follows the link from the SMTP sink and confirms it (the link
        page asks for a click, so that a mail scanner opening links signs nobody in).
        """
        seen = len(self.sink.received)
        page.goto(self.url + "/")
        address = page.locator("input[type=email]")
        address.fill(email)
        with page.expect_navigation():
            address.press("Enter")
        page.goto(sign_in_link(self.sink, email, self.url, seen=seen))
        confirm = page.locator("form[action='/connexion/lien'] [type=submit]")
        if confirm.count():
            with page.expect_navigation():
                confirm.press("Enter")
        if "/connexion" in page.url:
            raise AssertionError(f"{email} is not signed in: the portal shows {page.url}")

    def http_sign_in(self, client: httpx.Client, email: str) -> None:
        """The same sign-in as :meth:`sign_in`, with an HTTP client (forms and cookies)."""
        seen = len(self.sink.received)
        form = client.get(self.url + "/connexion").text
        csrf = _CSRF.search(form)
        data = {"email": email} | ({"csrf_token": csrf.group(1)} if csrf else {})
        client.post(self.url + "/connexion", data=data, follow_redirects=True).raise_for_status()
        confirm = client.get(sign_in_link(self.sink, email, self.url, seen=seen))
        confirm.raise_for_status()
        csrf, jeton = _CSRF.search(confirm.text), _JETON.search(confirm.text)
        if jeton:
            data = {"jeton": jeton.group(1)} | ({"csrf_token": csrf.group(1)} if csrf else {})
            answer = client.post(self.url + "/connexion/lien", data=data, follow_redirects=True)
            answer.raise_for_status()
        if client.get(self.url + "/", follow_redirects=False).status_code != 200:
            raise AssertionError(f"{email} is not signed in after following the link")


def eventually(check: Callable[[], Any], timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


@dataclass(frozen=True)
class Network:
    """Who is in the test network: ids and e-mails, and one member placed in a group."""

    emails: dict[str, str]  # member id -> e-mail
    grouped: str  # a member id with a published group
    other: str  # another member's id, not in ``grouped``'s group
    round_id: str = ""  # the published groups round


def _found(client: httpx.Client, url: str) -> bool:
    return client.get(url).status_code == 200


def seed_network(portal: Portal, size: int = 30, seed: int = 11, timeout: float = 120) -> Network:
    """``size`` members created by HR (all in groups), a groups round run and published
    (within ``timeout`` seconds: a round over 10,000 members on a loaded machine takes more).

    HR's side goes through the services' APIs, as HR's own tools would.
    """
    with portal.as_coordinator() as hr:
        skills = hr.get(portal.api("profiles") + "/skills", params={"limit": 500}).json()
        codes = [s["code"] for s in skills["items"]]
        people = community(size, skill_codes=codes, seed=seed, tag=".portail")
        emails: dict[str, str] = {}
        for i, person in enumerate(people):
            person.pop("manager_index", None)
            # Everyone in groups, one facilitator in five: the round is always possible,
            # even next to members an earlier test grouped.
            person["opt_ins"] |= {"groups": True, "facilitator": i % 5 == 0}
            r = hr.post(portal.api("profiles") + "/members", json=person)
            assert r.status_code == 201, r.text
            emails[r.json()["id"]] = person["email"]
        for member in emails:  # the matcher knows them all (its projection, from events)
            eventually(partial(_found, hr, portal.api("matcher") + f"/members/{member}"), 120)
        body = {"client_request_id": "browser-groups", "kind": "groups", "parameters": {}}
        rid = hr.post(portal.api("matcher") + "/rounds", json=body).json()["id"]
        done = eventually(
            lambda: (
                (r := hr.get(portal.api("matcher") + f"/rounds/{rid}").json())["state"]
                in ("proposed", "failed", "published")
                and r
            ),
            timeout=timeout,
        )
        if done["state"] != "proposed":
            raise AssertionError(f"the groups round did not reach a proposal: {done}")
        assert hr.post(portal.api("matcher") + f"/rounds/{rid}/publish").status_code == 200
        groups: list[list[str]] = []
        while not groups or len(groups) % 500 == 0:
            page = hr.get(
                portal.api("matcher") + f"/rounds/{rid}/matches",
                params={"limit": 500, "offset": len(groups)},
            ).json()
            groups += [m["members"] for m in page["items"]]
            if len(groups) >= page["total"]:
                break
    group = next(g for g in groups if set(g) & emails.keys())
    grouped = next(m for m in group if m in emails)
    other = next(m for m in emails if m not in group)
    return Network(emails, grouped=grouped, other=other, round_id=rid)
