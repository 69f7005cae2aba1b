"""Sessions over the real stack: too old, they are refused and the person is sent to
sign in again; signed out (or erased), they end on the server, so replaying the old
cookie opens nothing."""

from __future__ import annotations

import json
import time
import uuid
from base64 import b64decode, b64encode
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import httpx
import itsdangerous
import pytest
from sqlalchemy import create_engine, select, update

from services.portal.adapters.orm import portal_sessions
from services.portal.main import SESSION_COOKIE
from tests.integration.portal.conftest import PortalStack, portal_db
from tests.integration.portal.portal_support import csrf_of, sign_in

pytestmark = [pytest.mark.nats, pytest.mark.e2e]


def _member(ps: PortalStack) -> dict:
    tag = uuid.uuid4().hex[:8]
    body = {"display_name": f"Session {tag}", "email": f"s.{tag}@example.org", "site": "Lyon"}
    r = ps.hr.post(ps.url("profiles") + "/members", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


@contextmanager
def _signed_in(ps: PortalStack, member: dict) -> Iterator[httpx.Client]:
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, member["email"]).status_code == 303
        assert portal.get("/").status_code == 200
        yield portal


def _replay(ps: PortalStack, cookie: str) -> httpx.Response:
    """A fresh browser that sends only ``cookie`` (copied from another one)."""
    with ps.portal() as other:
        other.cookies.set(SESSION_COOKIE, cookie)
        return other.get("/")


def _age_sessions(ps: PortalStack, member_id: str, seconds: float) -> None:
    engine = create_engine(f"sqlite:///{portal_db(ps.settings)}")
    with engine.begin() as conn:
        conn.execute(update(portal_sessions).where(portal_sessions.c.member_id == member_id)
                     .values(opened_at=datetime.now(UTC) - timedelta(seconds=seconds)))  # fmt: skip
    engine.dispose()


def test_a_session_older_than_its_lifetime_on_the_server_sends_the_person_to_sign_in(
    portal_stack: PortalStack,
) -> None:
    ps, member = portal_stack, _member(portal_stack)
    with _signed_in(ps, member) as portal:
        _age_sessions(ps, member["id"], ps.settings.session_max_age_s + 1)
        page = portal.get("/profil")
        assert page.status_code == 303 and page.headers["location"] == "/connexion"
        assert portal.get("/connexion").status_code == 200, "the sign-in page, not a loop"
        assert sign_in(portal, ps.sink, member["email"]).status_code == 303
        assert portal.get("/profil").status_code == 200, "signing in again works"


def test_a_cookie_claiming_an_old_opening_time_is_refused_too(portal_stack: PortalStack) -> None:
    ps, member = portal_stack, _member(portal_stack)
    with _signed_in(ps, member) as portal:
        cookie = portal.cookies[SESSION_COOKIE]
    # The cookie re-signed with the session secret, but opened a lifetime ago.
    signer = itsdangerous.TimestampSigner(ps.settings.session_secret.get_secret_value())
    data = json.loads(b64decode(signer.unsign(cookie.encode())))
    data["opened_at"] = time.time() - ps.settings.session_max_age_s - 1
    aged = signer.sign(b64encode(json.dumps(data).encode())).decode()
    assert _replay(ps, cookie).status_code == 200, "the untouched cookie still works"
    refused = _replay(ps, aged)
    assert refused.status_code == 303 and refused.headers["location"] == "/connexion"


def test_signing_out_ends_the_session_so_the_old_cookie_cannot_be_replayed(
    portal_stack: PortalStack,
) -> None:
    ps, member = portal_stack, _member(portal_stack)
    with _signed_in(ps, member) as portal:
        cookie = portal.cookies[SESSION_COOKIE]
        assert _replay(ps, cookie).status_code == 200, "a copy works while the session is open"
        out = portal.post("/deconnexion", data={"csrf_token": csrf_of(portal.get("/"))})
        assert out.status_code == 303
    replayed = _replay(ps, cookie)
    assert replayed.status_code == 303 and replayed.headers["location"] == "/connexion"
    engine = create_engine(f"sqlite:///{portal_db(ps.settings)}")
    with engine.connect() as conn:
        query = select(portal_sessions.c.ended_at).where(
            portal_sessions.c.member_id == member["id"])  # fmt: skip
        ended = conn.execute(query).scalars().all()
    engine.dispose()
    assert ended and all(e is not None for e in ended)


def test_erasing_ones_data_ends_the_sessions_of_every_browser(portal_stack: PortalStack) -> None:
    ps, member = portal_stack, _member(portal_stack)
    with _signed_in(ps, member) as phone, _signed_in(ps, member) as desktop:
        form = desktop.get("/mes-donnees/effacement")
        erased = desktop.post("/mes-donnees/effacement", data={"csrf_token": csrf_of(form)})
        assert erased.status_code == 200
        page = phone.get("/")
        assert page.status_code == 303 and page.headers["location"] == "/connexion"
