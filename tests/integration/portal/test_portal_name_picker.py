"""The round adjustments take names over the real stack: a name, a part of one, a
suggestion of the list or an id; an unknown or ambiguous name is a form error that
lists the candidates, and the matcher is not asked."""

from __future__ import annotations

import html
import re

import pytest

from deploy.local.synthetic import community
from tests.integration.portal.conftest import COORDINATOR, PortalStack
from tests.integration.portal.portal_support import csrf_of, sign_in, wait

pytestmark = [pytest.mark.nats, pytest.mark.e2e]


@pytest.fixture(scope="module")
def grouped(portal_stack: PortalStack) -> dict:
    """A proposed groups round; two members of two groups renamed to share a surname."""
    ps = portal_stack
    skills = ps.hr.get(ps.url("profiles") + "/skills", params={"limit": 500}).json()["items"]
    codes = [s["code"] for s in skills]
    made = [{k: v for k, v in p.items() if k != "manager_index"}
            for p in community(30, skill_codes=codes, seed=7, tag="np")]  # fmt: skip
    ids = [ps.hr.post(ps.url("profiles") + "/members", json=p).json()["id"] for p in made]
    wait(lambda: ps.hr.get(ps.url("matcher") + "/members/count").json()["members"] >= len(ids))
    body = {"client_request_id": "picker-groups", "kind": "groups",
            "parameters": {"min_size": 4, "target_size": 5, "max_size": 6}}  # fmt: skip
    rid = ps.hr.post(ps.url("matcher") + "/rounds", json=body).json()["id"]
    wait(lambda: ps.hr.get(ps.url("matcher") + f"/rounds/{rid}").json()["state"] == "proposed")
    groups = ps.hr.get(ps.url("matcher") + f"/rounds/{rid}/matches").json()["items"]
    first, second = groups[0], groups[1]
    a = next(m for m in first["members"] if m != first["data"].get("facilitator_id"))
    b = next(m for m in second["members"] if m != second["data"].get("facilitator_id"))
    for member_id, name in ((a, "Camille Homonyme"), (b, "Dominique Homonyme")):
        renamed = ps.hr.patch(ps.url("profiles") + f"/members/{member_id}",
                              json={"display_name": name})  # fmt: skip
        assert renamed.status_code == 200, renamed.text
    return {"round": rid, "a": a, "b": b, "first": first["id"], "second": second["id"]}


def _holding(ps: PortalStack, round_id: str) -> dict[str, str]:
    groups = ps.hr.get(ps.url("matcher") + f"/rounds/{round_id}/matches").json()["items"]
    return {m: g["id"] for g in groups for m in g["members"]}


def test_an_unknown_or_ambiguous_name_is_a_form_error_listing_the_candidates(
    portal_stack: PortalStack, grouped: dict
) -> None:
    ps, rid = portal_stack, grouped["round"]
    before = _holding(ps, rid)
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, COORDINATOR).status_code == 303
        page = portal.get(f"/coordination/tours/{rid}")
        assert 'list="round-members"' in page.text and "<datalist" in page.text
        form = {"csrf_token": csrf_of(page), "action": "swap"}
        sent = {**form, "member_a": "Homonyme", "member_b": "Zoé Inconnue"}
        unclear = portal.post(f"/coordination/tours/{rid}/ajustements", data=sent)
        text = html.unescape(unclear.text)
        assert unclear.status_code == 422
        assert "« Homonyme » peut désigner plusieurs membres" in text
        assert "Camille Homonyme — " in text and f"({grouped['a']})" in text
        assert "Dominique Homonyme — " in text and f"({grouped['b']})" in text
        assert "Aucun membre ne correspond à « Zoé Inconnue »" in text
        assert re.search(r'id="swap-member_a"[^>]*value="Homonyme"', text), "kept as typed"
        assert 'aria-invalid="true"' in text
    assert _holding(ps, rid) == before, "the matcher was not asked"


def test_a_coordinator_swaps_two_members_by_name_and_by_a_suggestion_of_the_list(
    portal_stack: PortalStack, grouped: dict
) -> None:
    ps, rid = portal_stack, grouped["round"]
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, COORDINATOR).status_code == 303
        found = portal.get("/coordination/noms", params={"q": "dominique homo"}).json()["items"]
        assert len(found) == 1 and found[0].endswith(f"({grouped['b']})")
        page = portal.get(f"/coordination/tours/{rid}")
        swapped = portal.post(f"/coordination/tours/{rid}/ajustements", data={
            "csrf_token": csrf_of(page), "action": "swap",
            "member_a": "camille homonyme", "member_b": found[0]})  # fmt: skip
        assert swapped.status_code == 303, html.unescape(swapped.text)[:2000]
    holding = _holding(ps, rid)
    assert holding[grouped["a"]] == grouped["second"]
    assert holding[grouped["b"]] == grouped["first"]


def test_a_member_gets_no_suggestions(portal_stack: PortalStack, grouped: dict) -> None:
    ps = portal_stack
    member = ps.hr.get(ps.url("profiles") + f"/members/{grouped['a']}").json()
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, member["email"]).status_code == 303
        refused = portal.get("/coordination/noms", params={"q": "Homonyme"})
    assert refused.status_code == 403 and "Homonyme" not in refused.text
