"""The coordinator repairs a published round from the portal: the round's page offers
it, the form takes who left, and the page shows who changed, before and after."""

from __future__ import annotations

import uuid

import pytest

from deploy.local.synthetic import community
from tests.integration.portal.conftest import COORDINATOR, PortalStack
from tests.integration.portal.portal_support import csrf_of, sign_in, text_of, wait

pytestmark = [pytest.mark.nats, pytest.mark.e2e]


def published_groups(ps: PortalStack) -> tuple[str, list[dict]]:
    skills = ps.hr.get(ps.url("profiles") + "/skills", params={"limit": 500}).json()["items"]
    made = [
        {k: v for k, v in p.items() if k != "manager_index"}
        for p in community(30, skill_codes=[s["code"] for s in skills], seed=7, tag="rp")
    ]
    ids = [ps.hr.post(ps.url("profiles") + "/members", json=p).json()["id"] for p in made]
    matcher = ps.url("matcher")
    wait(lambda: ps.hr.get(matcher + "/members/count").json()["members"] >= len(ids))
    body = {"client_request_id": uuid.uuid4().hex, "kind": "groups",
            "parameters": {"target_size": 6}}  # fmt: skip
    rid = ps.hr.post(matcher + "/rounds", json=body).json()["id"]
    wait(lambda: ps.hr.get(f"{matcher}/rounds/{rid}").json()["state"] == "proposed")
    assert ps.hr.post(f"{matcher}/rounds/{rid}/publish").is_success
    groups = ps.hr.get(f"{matcher}/rounds/{rid}/matches", params={"limit": 500}).json()
    return rid, groups["items"]


def test_a_coordinator_repairs_a_round_and_reads_who_changed(portal_stack: PortalStack) -> None:
    ps = portal_stack
    rid, groups = published_groups(ps)
    leaver = groups[0]["members"][0]
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, COORDINATOR).status_code == 303
        page = portal.get(f"/coordination/tours/{rid}")
        assert f'href="/coordination/tours/{rid}/reparer"' in page.text
        form = portal.get(f"/coordination/tours/{rid}/reparer")
        assert form.status_code == 200 and "Réparer le tour" in text_of(form)
        bad = portal.post(f"/coordination/tours/{rid}/reparer",
                          data={"csrf_token": csrf_of(form), "departed": leaver,
                                "reason": "bored"})  # fmt: skip
        assert bad.status_code == 422 and "Motif inconnu." in text_of(bad)
        done = portal.post(f"/coordination/tours/{rid}/reparer",
                           data={"csrf_token": csrf_of(form), "departed": leaver,
                                 "reason": "declined"})  # fmt: skip
        assert done.status_code == 200, done.text
        text = text_of(done)
        assert "Tour réparé" in text and "Réparation n° 1" in text and "Avant" in text
        stayed = [m for m in groups[0]["members"] if m != leaver]
        assert all(m in done.text for m in stayed)  # each changed person is listed
        assert "a refusé" in text  # the departure, with its reason
    after = ps.hr.get(ps.url("matcher") + f"/rounds/{rid}/matches", params={"limit": 500})
    assert all(leaver not in g["members"] for g in after.json()["items"])
