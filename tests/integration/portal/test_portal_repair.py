"""The coordinator repairs a published round from the portal: the round's page offers
it, the form takes who left, and the page shows who changed, before and after."""

from __future__ import annotations

import pytest

from tests.integration.portal.conftest import COORDINATOR, PortalStack
from tests.integration.portal.portal_support import csrf_of, published_round, sign_in, text_of

pytestmark = [pytest.mark.nats, pytest.mark.e2e]


def test_a_coordinator_repairs_a_round_and_reads_who_changed(portal_stack: PortalStack) -> None:
    ps = portal_stack
    rid, groups = published_round(ps, "groups", 30, seed=7, tag="rp",
                                  parameters={"target_size": 6})  # fmt: skip
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
