"""After the announcement, over the real stack (nats-server, the three services, the
portal): a member's « Ma proposition » names their partner, the coordinator closes a
pair from the portal (once), and reads the pair's closing surveys, comments included,
on a page members cannot open."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.integration.portal.conftest import COORDINATOR, PortalStack
from tests.integration.portal.portal_support import csrf_of, published_round, sign_in, text_of

pytestmark = [pytest.mark.nats, pytest.mark.e2e]


@pytest.fixture(scope="module")
def pairs(portal_stack: PortalStack) -> tuple[str, list[dict]]:
    return published_round(portal_stack, "mentoring", 24, seed=3, tag="am",
                           parameters={"mode": "max_mentees"})  # fmt: skip


@pytest.fixture(scope="module")
def coordinator(portal_stack: PortalStack) -> Iterator[httpx.Client]:
    with portal_stack.portal() as portal:
        assert sign_in(portal, portal_stack.sink, COORDINATOR).status_code == 303
        yield portal


def profile(ps: PortalStack, member_id: str) -> dict:
    return dict(ps.hr.get(ps.url("profiles") + f"/members/{member_id}").json())


def test_my_proposal_names_my_partner_and_hides_everyone_elses_match(
    portal_stack: PortalStack, pairs: tuple[str, list[dict]]
) -> None:
    ps, (_rid, matches) = portal_stack, pairs
    mine = matches[0]
    me, partner = (profile(ps, m) for m in mine["members"])
    theirs = next(m for m in matches if me["id"] not in m["members"])
    with ps.portal() as portal:
        sign_in(portal, ps.sink, me["email"])
        page = portal.get(f"/propositions/{mine['id']}")
        assert page.status_code == 200
        text = text_of(page)
        assert "Avec qui" in text and partner["display_name"] in text
        assert f"Site : {partner['site']}" in text and partner["function"] in text
        assert mine["explanation"] and mine["explanation"] in text
        assert partner["email"] not in text  # what the page names is not an address
        role = "mentor" if mine["data"]["mentor_id"] == partner["id"] else "mentoré·e"
        assert f'<span class="tag">{role}</span>' in text
        other = portal.get(f"/propositions/{theirs['id']}")
        assert other.status_code == 404
        assert not any(profile(ps, m)["display_name"] in text_of(other)
                       for m in theirs["members"])  # fmt: skip
        portal.get("/langue", params={"vers": "en"})
        english = text_of(portal.get(f"/propositions/{mine['id']}"))
        assert "Who with" in english and f"Site: {partner['site']}" in english
        assert portal.get(f"/coordination/tours/{_rid}/avis").status_code == 403
        assert portal.get(f"/coordination/mises-en-relation/{mine['id']}/clore").status_code == 403
        forbidden = portal.post(f"/coordination/mises-en-relation/{mine['id']}/clore",
                                data={"csrf_token": csrf_of(page)})  # fmt: skip
        assert forbidden.status_code == 403
    course = ps.hr.get(ps.url("matcher") + f"/matches/{mine['id']}/course").json()
    assert course["closed_at"] is None  # the member's POST closed nothing


def test_the_coordinator_closes_a_pair_once_then_reads_its_surveys(
    portal_stack: PortalStack, pairs: tuple[str, list[dict]], coordinator: httpx.Client
) -> None:
    ps, (rid, matches) = portal_stack, pairs
    pair = matches[-1]
    url = f"/coordination/mises-en-relation/{pair['id']}/clore"
    assert f'href="{url}"' in coordinator.get(f"/coordination/tours/{rid}").text
    confirm = coordinator.get(url)
    assert confirm.status_code == 200 and 'data-state="open"' in confirm.text
    names = [profile(ps, m)["display_name"] for m in pair["members"]]
    assert all(n in text_of(confirm) for n in names)
    matcher = ps.url("matcher")
    assert ps.hr.get(matcher + f"/matches/{pair['id']}/course").json()["closed_at"] is None
    assert coordinator.post(url, data={}).status_code == 403  # no CSRF token: refused

    closed = coordinator.post(url, data={"csrf_token": csrf_of(confirm)})
    assert closed.status_code == 303 and closed.headers["location"] == f"{url}?done=closed"
    shown = coordinator.get(closed.headers["location"])
    assert "Mise en relation close le" in text_of(shown) and 'data-state="closed"' in shown.text
    course = ps.hr.get(matcher + f"/matches/{pair['id']}/course").json()
    assert course["closed_reason"] == "coordinator"
    again = coordinator.post(url, data={"csrf_token": csrf_of(confirm)}, follow_redirects=True)
    assert again.status_code == 200
    assert "était déjà close" in text_of(again) and "rien n'a changé" in text_of(again)
    assert ps.hr.get(matcher + f"/matches/{pair['id']}/course").json() == course

    first = sorted(pair["members"])[0]
    with ps.as_member(first) as member:
        said = member.post(matcher + f"/me/matches/{pair['id']}/feedback",
                           json={"satisfaction": 4, "would_recommend": True,
                                 "comment": "Des échanges très concrets"})  # fmt: skip
        assert said.status_code == 200, said.text
    results = coordinator.get(f"/coordination/tours/{rid}/avis")
    assert results.status_code == 200
    text = text_of(results)
    assert "Des échanges très concrets" in text and "4/5" in text
    assert "Pas encore répondu" in text  # the other member's survey
    assert all(n in text for n in names)
    later = text_of(coordinator.get(f"/coordination/tours/{rid}/avis", params={"offset": 1}))
    assert "Des échanges très concrets" not in later and "Pas encore répondu" in later
    assert coordinator.get("/coordination/tours/unknown/avis").status_code == 404
