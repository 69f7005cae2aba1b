"""A group's course over the whole stack (processes, real nats-server, SMTP sink), on the
matcher's adjustable clock: a groups round of three months, a session every four weeks, is
published; the facilitator records three sessions in the portal's « Mon groupe » (date and
who came), is reminded once by mail of the fourth, not recorded; at the end the group
closes and each of its people gets the survey once, with its link; one answers in the
portal (confirmation page), the others by the API; HR reads the comments; the next round
avoids every pair of the group."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator

import pytest

from deploy.local.synthetic import community
from tests.e2e.test_match_life_end_to_end import advance, subjects_to
from tests.e2e.test_match_life_end_to_end import life_stack as course_stack  # noqa: F401
from tests.integration.portal.conftest import PortalStack
from tests.integration.portal.portal_support import csrf_of, sign_in, text_of, wait

pytestmark = [pytest.mark.e2e, pytest.mark.nats]
SESSION = re.compile(r"(séance 4 de votre groupe|group's session 4)")
SURVEY = re.compile(r"(votre avis sur la mise en relation qui|your view of the match that)")


@pytest.fixture(scope="module")
def ps(course_stack: PortalStack) -> Iterator[PortalStack]:  # noqa: F811
    yield course_stack


def test_a_group_meets_three_times_closes_at_its_end_and_everyone_is_surveyed_once(
    ps: PortalStack,
) -> None:
    profiles, matcher = ps.url("profiles"), ps.url("matcher")
    skills = [s["code"] for s in ps.hr.get(profiles + "/skills?limit=500").json()["items"]]
    people = [{k: v for k, v in p.items() if k != "manager_index"}
              for p in community(40, skill_codes=skills, seed=5, tag="course")]  # fmt: skip
    email = {ps.hr.post(profiles + "/members", json=p).json()["id"]: p["email"] for p in people}
    wait(lambda: ps.hr.get(matcher + "/members/count").json()["members"] >= len(email))
    body = {"client_request_id": "course-e2e", "kind": "groups",
            "parameters": {"rhythm_weeks": 4, "duration_months": 3}}  # fmt: skip
    rid = ps.hr.post(matcher + "/rounds", json=body).json()["id"]
    wait(lambda: ps.hr.get(matcher + f"/rounds/{rid}").json()["state"] == "proposed")
    assert ps.hr.post(matcher + f"/rounds/{rid}/publish").json()["state"] == "published"
    groups = ps.hr.get(matcher + f"/rounds/{rid}/matches?limit=500").json()["items"]
    courses = [ps.hr.get(matcher + f"/matches/{g['id']}/course").json() for g in groups]
    course = next(c for c in courses if c["facilitator_id"])  # a group with a facilitator
    gid = course["match_id"]
    facilitator, members = course["facilitator_id"], course["member_ids"]
    everyone = sorted({facilitator, *members})
    wait(lambda: all(subjects_to(ps, email[m]) for m in everyone))  # the announcements

    page_url = f"/propositions/{gid}/seances"
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, email[facilitator]).status_code == 303
        for n in range(3):
            if n:
                advance(ps, 28)
            page = portal.get(page_url)
            assert page.status_code == 200 and "Mon groupe" in page.text
            came = [facilitator, *members[n : n + 3]]
            form = {"session_date": course["due_sessions"][n], "came": came,
                    "csrf_token": csrf_of(page)}  # fmt: skip
            sent = portal.post(page_url, data=form)
            assert sent.status_code == 303, sent.text
        log = text_of(portal.get(page_url))
        assert log.count("<tr><td>20") == 3
    with ps.portal() as portal:  # a member sees the log, without the form
        assert sign_in(portal, ps.sink, email[members[0]]).status_code == 303
        page = portal.get(page_url)
        assert page.status_code == 200 and 'name="came"' not in page.text

    def count(member: str, pattern: re.Pattern[str]) -> int:
        return sum(bool(pattern.search(s)) for s in subjects_to(ps, email[member]))

    advance(ps, 32)  # the 4th session was due 4 days ago and is not recorded
    wait(lambda: count(facilitator, SESSION) == 1)
    advance(ps, 40)  # past the end: closed, everyone surveyed
    wait(lambda: all(count(m, SURVEY) == 1 for m in everyone))
    mail = next(r.part("text/plain") for r in ps.sink.received
                if r.to == email[members[1]] and SURVEY.search(r.subject))  # fmt: skip
    link = f"/propositions/{gid}/avis"
    assert ps.url("portal") + link in mail

    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, email[members[1]]).status_code == 303
        page = portal.get(link)
        assert page.status_code == 200 and 'name="satisfaction"' in page.text
        form = {"satisfaction": "5", "recommend": "yes", "comment": "Très riche",
                "csrf_token": csrf_of(page)}  # fmt: skip
        sent = portal.post(link, data=form)
        assert sent.status_code == 303 and sent.headers["location"].endswith("/avis/merci")
        assert "5/5" in portal.get(sent.headers["location"]).text
    for i, who in enumerate(m for m in everyone if m != members[1]):
        with ps.as_member(who) as c:
            r = c.post(matcher + f"/me/matches/{gid}/feedback",
                       json={"satisfaction": 1 + i % 5, "would_recommend": True})  # fmt: skip
            assert r.status_code == 200, r.text
    surveys = ps.hr.get(matcher + f"/matches/{gid}/feedback").json()
    assert len(surveys) == len(everyone) and "Très riche" in {s["comment"] for s in surveys}
    assert ps.hr.get(matcher + f"/matches/{gid}/course").json()["closed_reason"] == "completed"

    nxt = ps.hr.post(matcher + "/rounds", json={"client_request_id": "course-e2e-2",
                                                "kind": "mentoring"}).json()["id"]  # fmt: skip
    wait(lambda: ps.hr.get(matcher + f"/rounds/{nxt}").json()["state"] == "proposed")
    pairs = ps.hr.get(matcher + f"/rounds/{nxt}/matches?limit=500").json()["items"]
    group_pairs = {frozenset((a, b)) for a in members for b in members if a != b}
    assert pairs and not [p for p in pairs if frozenset(p["members"]) in group_pairs]

    time.sleep(2.0)  # a duplicate, were there one, would arrive now
    for member in everyone:
        got = Counter(subjects_to(ps, email[member]))
        assert all(n == 1 for n in got.values()), (member, got)
