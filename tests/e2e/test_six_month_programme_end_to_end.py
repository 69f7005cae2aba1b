"""Issue 12, "Done when": a six-month programme over the whole stack (processes, real
nats-server, SQLite, SMTP sink) on the matcher's adjustable clock. A mentoring round (its
``auto_repair`` policy on) and a groups round are published; members accept, one mentee
declines and the round is repaired at once with only the people concerned changed (the
others keep their match and get no new announcement); one group member never answers
(recorded as a departure for the coordinator); check-ins are answered, facilitators record
their sessions month by month, the groups and then the mentorships close and their surveys
are answered. The health API and the coordinator's dashboard then equal the report
recomputed from the events read back from JetStream."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest

from deploy.local.synthetic import community
from services.matcher.api.schemas_health import FRESHNESS, HealthPublic
from services.matcher.service_layer.health import recompute
from tests.e2e.test_match_life_end_to_end import DAY_S, subjects_to
from tests.e2e.test_match_life_end_to_end import life_stack as programme_stack  # noqa: F401
from tests.health_support import events_in_broker, figures
from tests.integration.portal.conftest import COORDINATOR, PortalStack
from tests.integration.portal.portal_support import sign_in, wait

pytestmark = [pytest.mark.e2e, pytest.mark.nats]


def advance(ps: PortalStack, days: int) -> date:
    """Move the matcher's clock ``days`` forward (0: read it); the day it then is."""
    clock = ps.url("matcher") + "/_test/clock"
    moved = (
        ps.hr.post(clock + "/advance", json={"seconds": days * DAY_S})
        if days
        else ps.hr.get(clock)
    )
    assert moved.status_code == 200, moved.text
    return date.fromisoformat(moved.json()["now"][:10])


def publish(ps: PortalStack, key: str, kind: str, **params: Any) -> tuple[str, list[dict]]:
    matcher = ps.url("matcher")
    body = {"client_request_id": key, "kind": kind, "parameters": params}
    rid = ps.hr.post(matcher + "/rounds", json=body).json()["id"]
    wait(lambda: ps.hr.get(matcher + f"/rounds/{rid}").json()["state"] == "proposed")
    assert ps.hr.post(matcher + f"/rounds/{rid}/publish").json()["state"] == "published"
    return rid, ps.hr.get(matcher + f"/rounds/{rid}/matches?limit=500").json()["items"]


def people_of(match: dict) -> list[str]:
    extra = match.get("data", {}).get("facilitator_id")
    return list(dict.fromkeys([*match["members"], *([extra] if extra else [])]))


def act(ps: PortalStack, who: str, path: str, body: dict) -> None:
    with ps.as_member(who) as c:
        r = c.post(ps.url("matcher") + path, json=body)
    assert r.status_code == 200, (path, r.text)


def test_six_months_accepts_a_repaired_decline_sessions_surveys_and_health_from_events(
    programme_stack: PortalStack,  # noqa: F811
) -> None:
    ps = programme_stack
    profiles, matcher = ps.url("profiles"), ps.url("matcher")
    skills = [s["code"] for s in ps.hr.get(profiles + "/skills?limit=500").json()["items"]]
    people = [{k: v for k, v in p.items() if k != "manager_index"}
              for p in community(40, skill_codes=skills, seed=12, tag="prog")]  # fmt: skip
    email = {ps.hr.post(profiles + "/members", json=p).json()["id"]: p["email"] for p in people}
    wait(lambda: ps.hr.get(matcher + "/members/count").json()["members"] >= len(email))
    start = advance(ps, 0)

    mrid, pairs = publish(ps, "prog-mentoring", "mentoring", auto_repair=True)
    grid, groups = publish(ps, "prog-groups", "groups", rhythm_weeks=4, duration_months=3)
    assert len(pairs) >= 3 and groups
    everyone = {m for x in [*pairs, *groups] for m in people_of(x)}
    wait(lambda: all(subjects_to(ps, email[m]) for m in everyone))  # the announcements

    # one mentee declines; everyone else in the mentoring round accepts
    declined, decliner = pairs[0], pairs[0]["members"][1]
    for p in pairs[1:]:
        for m in p["members"]:
            act(ps, m, f"/me/matches/{p['id']}/answer", {"accept": True})
    told_before = {m: len(subjects_to(ps, email[m])) for m in email}
    act(ps, decliner, f"/me/matches/{declined['id']}/answer",
        {"accept": False, "reason": "not_a_fit"})  # fmt: skip

    def repaired() -> dict | None:
        body = ps.hr.get(matcher + f"/rounds/{mrid}/repairs").json()
        return body if body["revision"] == 1 else None

    report = wait(repaired)["repairs"][0]
    assert report["reason"] == "declined" and report["ended_match_ids"] == [declined["id"]]
    after = ps.hr.get(matcher + f"/rounds/{mrid}/matches?limit=500").json()["items"]
    untouched = {p["id"]: p["members"] for p in pairs[1:]}
    now_ids = {p["id"]: p["members"] for p in after}
    assert all(now_ids.get(i) == ms for i, ms in untouched.items()), "an unaffected pair changed"
    changed = set(report["changed_people"])
    assert changed and decliner not in {m for ms in now_ids.values() for m in ms}
    assert changed <= {declined["members"][0]} | {m for p in after if p["id"] not in untouched
                                                  for m in p["members"]}  # fmt: skip
    not_concerned = {m for ms in untouched.values() for m in ms} - changed
    assert not_concerned
    # the people concerned hear of it (a new match, or its cancellation); nobody else
    wait(lambda: all(len(subjects_to(ps, email[m])) > told_before[m] for m in changed))
    time.sleep(2.0)  # a stray announcement, were there one, would arrive now
    assert {m: len(subjects_to(ps, email[m])) for m in not_concerned} == {
        m: told_before[m] for m in not_concerned
    }
    new = [p for p in after if p["id"] not in untouched]
    for p in new:  # the new match is answered like any other (it entered the life of matches)
        for m in p["members"]:
            act(ps, m, f"/me/matches/{p['id']}/answer", {"accept": True})

    # groups: everyone accepts but one member, who never answers
    silent = groups[0]["members"][-1]
    for g in groups:
        for m in people_of(g):
            if m != silent:
                act(ps, m, f"/me/matches/{g['id']}/answer", {"accept": True})

    pairs_now = after
    courses = {g["id"]: ps.hr.get(matcher + f"/matches/{g['id']}/course").json() for g in groups}
    recorded: set[tuple[str, str]] = set()
    today = start
    for month in range(7):
        today = advance(ps, 15)
        if month == 0:  # the check-in (14 days after publication): most answer it
            for k, p in enumerate(pairs_now):
                for m in p["members"][: 1 + k % 2]:
                    act(ps, m, f"/me/matches/{p['id']}/checkin", {"met": True, "fit": "good"})
        today = advance(ps, 15)
        for gid, c in courses.items():
            if not c["facilitator_id"]:
                continue  # a group without a facilitator records no session
            for n, due in enumerate(c["due_sessions"]):
                if date.fromisoformat(due) <= today and (gid, due) not in recorded and n < 3:
                    came = [c["facilitator_id"], *c["member_ids"][n : n + 3]]
                    act(ps, c["facilitator_id"], f"/me/matches/{gid}/sessions",
                        {"session_date": due, "attendee_ids": came})  # fmt: skip
                    recorded.add((gid, due))
        answer_surveys(ps, [*groups, *pairs_now])
    assert recorded

    # the departure of the silent member waits for the coordinator (auto_repair is off)
    departures = ps.hr.get(matcher + f"/rounds/{grid}/repairs").json()["departures"]
    assert [(d["member_id"], d["reason"]) for d in departures] == [(silent, "unanswered")]
    closed = [ps.hr.get(matcher + f"/matches/{m['id']}/course").json()["closed_reason"]
              for m in [*groups, *pairs_now]]  # fmt: skip
    assert set(closed) == {"completed"}

    # the dashboard equals the report recomputed from the events JetStream holds
    first = date(start.year, start.month, 1)
    with ThreadPoolExecutor(1) as pool:
        stored = pool.submit(asyncio.run, events_in_broker(ps.stack.nats.url)).result()
    report = recompute(stored, first, today)
    expected = HealthPublic.model_validate(report).model_dump(mode="json", exclude=FRESHNESS)
    query = f"/health?from={first}&to={today}"

    def projected() -> dict | None:  # the report that includes the last facts (issue 11)
        body = ps.hr.get(matcher + query).json()
        return body if figures(body) == expected else None

    health = wait(projected, timeout=90)
    months = [m for m in health["months"] if m["segment"]["dimension"] == "all"]
    assert sum(m["accepted"] for m in months) >= 2 * len(pairs)
    assert sum(m["declined"] for m in months) == 1 and sum(m["sessions"] for m in months) > 0
    assert sum(m["satisfaction_count"] for m in months) > 0
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, COORDINATOR).status_code == 303
        page = portal.get(f"/coordination/tableau-de-bord?start={first}&end={today}")
        assert page.status_code == 200
        html = re.sub(r"\s+", " ", page.text)
        for m in months:
            row = (f'<th scope="row">{m["month"]}</th><td>{m["active"]}</td>'
                   f'<td>{m["accepted"]}</td><td>{m["declined"]}</td>'
                   f'<td>{m["unanswered"]}</td>')  # fmt: skip
            assert row in html, row


def answer_surveys(ps: PortalStack, matches: list[dict]) -> None:
    """Every survey asked so far is answered (satisfaction 3 to 5), once."""
    matcher = ps.url("matcher")
    for i, m in enumerate(matches):
        for who in people_of(m):
            with ps.as_member(who) as c:
                mine = c.get(matcher + f"/me/matches/{m['id']}/feedback")
                asked = mine.json() if mine.status_code == 200 else []
                if not asked or asked[0]["answered_at"]:
                    continue  # not asked yet, or answered
                body = {"satisfaction": 3 + i % 3, "would_recommend": i % 4 != 0}
                r = c.post(matcher + f"/me/matches/{m['id']}/feedback", json=body)
                assert r.status_code == 200, r.text
