"""A group's course over HTTP and a real nats-server, on the matcher's controllable clock:
three sessions recorded, the fourth reminded to its facilitator, closing at its end,
surveys answered, and the history that later rounds avoid."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.matcher.adapters.orm import history
from services.matcher.domain.timers import AdjustableClock
from services.matcher.main import create_app as matcher_app
from shared.settings import Settings
from tests.matcher_support import (
    community,
    life_listener,
    propose_round,
    publish_all,
    wait_projected,
)
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats
DAY = timedelta(days=1)


def told(seen: list[dict[str, Any]]) -> Counter[tuple[str, str, int]]:
    return Counter(
        (e["type"], e.get("member_id", ""), e.get("reminder", e.get("session_number", 0)))
        for e in seen
    )


async def test_a_group_meets_three_times_is_reminded_once_closes_at_its_end_and_is_surveyed(
    make_settings: Any, nats_server: Any
) -> None:
    settings: Settings = make_settings(life_timer_poll_s=0.05)
    clock, tag, hr = AdjustableClock(), uuid.uuid4().hex[:6], bearer(settings, "hr", "coordinator")
    people = community(24, tag)
    ids: list[str] = []
    app = matcher_app(settings, clock)
    async with running(app) as m, life_listener(nats_server.url, ids) as seen:
        await publish_all(nats_server.url, people)
        await wait_projected(m, hr, len(people), [p.member_id for p in people])
        body = {"client_request_id": f"gc-{tag}", "kind": "groups",
                "parameters": {"rhythm_weeks": 4, "duration_months": 3}}  # fmt: skip
        round_id, _ = await propose_round(m, hr, body)
        ids.append(round_id)
        groups = (await m.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
        assert (await m.post(f"/rounds/{round_id}/publish", headers=hr)).status_code == 200
        # the session broker may hold other tests' members, so not every group has a leader
        led = [g for g in groups if g["data"].get("facilitator_id")]
        assert led, groups
        gid = led[0]["id"]
        course = (await m.get(f"/matches/{gid}/course", headers=hr)).json()
        facilitator = course["facilitator_id"]
        members = [m for m in course["member_ids"] if m != facilitator]
        assert facilitator and len(course["due_sessions"]) == 4
        start = date.fromisoformat(course["starts_on"])
        someone = next(x for x in members if x != facilitator)  # a member who does not lead
        as_f, as_member = bearer(settings, facilitator), bearer(settings, someone)

        nobody = {"session_date": str(start), "attendee_ids": []}
        not_facilitator = await m.post(f"/me/matches/{gid}/sessions", headers=as_member,
                                       json=nobody)  # fmt: skip
        assert not_facilitator.status_code == 409
        assert not_facilitator.json()["code"] == "session_not_facilitator"
        for n in range(3):  # sessions at 0, 4 and 8 weeks, each recorded a day later
            if n:
                clock.advance(28 * DAY)
            day = date.fromisoformat(course["due_sessions"][n])
            came = [facilitator, *members[n : n + 3]]
            r = await m.post(f"/me/matches/{gid}/sessions", headers=as_f,
                             json={"session_date": str(day), "attendee_ids": came})  # fmt: skip
            assert r.status_code == 200, r.text
            again = await m.post(f"/me/matches/{gid}/sessions", headers=as_f,
                                 json={"session_date": str(day), "attendee_ids": came})  # fmt: skip
            assert len(again.json()["sessions"]) == n + 1
        future = await m.post(f"/me/matches/{gid}/sessions", headers=as_f,
                              json={"session_date": str(clock.now().date() + 2 * DAY),
                                    "attendee_ids": []})  # fmt: skip
        assert future.status_code == 409 and "futur" in future.json()["detail"]
        early = await m.post(f"/me/matches/{gid}/feedback", headers=as_member,
                             json={"satisfaction": 5, "would_recommend": True})  # fmt: skip
        assert early.status_code == 409 and early.json()["code"] == "feedback_not_open"

        clock.advance(32 * DAY)  # past the 4th session's due day and grace: not recorded
        await eventually(lambda: told(seen)[("group.session_reminded", facilitator, 4)],
                         timeout=15)  # fmt: skip
        clock.advance(40 * DAY)  # past the end (3 months)
        await eventually(lambda: told(seen)[("match.closed", "", 0)] >= len(groups), timeout=15)
        everyone = {facilitator, *members}
        await eventually(
            lambda: {w for (t, w, _n) in told(seen) if t == "match.feedback_requested"} >= everyone,
            timeout=15,
        )
        closed = (await m.get(f"/matches/{gid}/course", headers=hr)).json()
        assert closed["closed_reason"] == "completed" and len(closed["sessions"]) == 3
        late = await m.post(f"/me/matches/{gid}/sessions", headers=as_f,
                            json={"session_date": str(start), "attendee_ids": []})  # fmt: skip
        assert late.status_code == 409

        for i, who in enumerate(sorted(everyone)):
            r = await m.post(f"/me/matches/{gid}/feedback", headers=bearer(settings, who),
                             json={"satisfaction": 1 + i % 5, "would_recommend": i % 2 == 0,
                                   "comment": f"secret-{i}"})  # fmt: skip
            assert r.status_code == 200, r.text
        hr_view = (await m.get(f"/matches/{gid}/feedback", headers=hr)).json()
        assert {f["comment"] for f in hr_view} == {f"secret-{i}" for i in range(len(everyone))}
        assert (await m.get(f"/matches/{gid}/feedback", headers=as_member)).status_code == 403
        surveyed = sum(len(g["members"]) for g in groups)  # every group closed at its end
        pages = [(await m.get(f"/rounds/{round_id}/feedback", headers=hr,
                              params={"limit": 7, "offset": o})).json()
                 for o in range(0, surveyed, 7)]  # fmt: skip
        rows = [f for p in pages for f in p["items"]]
        assert {p["total"] for p in pages} == {surveyed} and len(rows) == surveyed
        assert rows == sorted(rows, key=lambda f: (f["match_id"], f["member_id"]))
        assert {f["comment"] for f in rows if f["match_id"] == gid} == {
            f"secret-{i}" for i in range(len(everyone))}  # fmt: skip
        assert all(f["satisfaction"] is None for f in rows if f["match_id"] != gid)
        paths = (f"/rounds/{round_id}/feedback", "/rounds/unknown/feedback")
        assert (await m.get(paths[0], headers=as_member)).status_code == 403
        assert (await m.get(paths[1], headers=hr)).status_code == 404
        assert (await m.post(f"/matches/{gid}/close", headers=hr)).json()["closed_reason"] == (
            "completed"
        )  # closing again changes nothing
        await eventually(
            lambda: sum(1 for e in seen if e["type"] == "match.feedback_given") == len(everyone),
            timeout=15,
        )
        await asyncio.sleep(0.5)  # time for a duplicate to show, were there one
        got = told(seen)
        assert got[("group.session_recorded", "", 0)] == 3  # the first group's three
        assert got[("group.session_reminded", facilitator, 4)] == 1
        assert all(got[("match.feedback_requested", w, 0)] == 1 for w in everyone)
        assert not any("secret" in str(e) for e in seen)  # the comment never leaves
        assert len({e["event_id"] for e in seen}) == len(seen)

        with app.state.engine.connect() as conn:  # the group's pairs dated from its closing
            rows = conn.execute(select(history).where(history.c.round_id == round_id)).all()
        in_group = [r for r in rows if {r.member_a, r.member_b} <= set(members)]
        assert in_group and {r.met_at for r in in_group} == {
            datetime.fromisoformat(closed["closed_at"])
        }

        mentoring = {"client_request_id": f"gm-{tag}", "kind": "mentoring"}
        next_id, _ = await propose_round(m, hr, mentoring)
        pairs = (await m.get(f"/rounds/{next_id}/matches", headers=hr)).json()["items"]
        met = {frozenset((r.member_a, r.member_b)) for r in rows}
        assert pairs and not [p for p in pairs if frozenset(p["members"]) in met]
