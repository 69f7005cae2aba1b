"""The life of a published match over HTTP and a real nats-server, on a controllable clock."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

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


async def published_mentoring(client: Any, hr: dict[str, str], tag: str) -> tuple[str, list]:
    body = {"client_request_id": f"life-{tag}", "kind": "mentoring", "name": "Parrainage"}
    round_id, _ = await propose_round(client, hr, body)
    found = (await client.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
    assert (await client.post(f"/rounds/{round_id}/publish", headers=hr)).status_code == 200
    # the first two with nobody in common (a mentor may have two mentees)
    second = next(m for m in found[1:] if not set(m["members"]) & set(found[0]["members"]))
    return round_id, [found[0], second, *(m for m in found[1:] if m is not second)]


def counted(seen: list[dict[str, Any]]) -> Counter[tuple[str, str, int]]:
    """How often each (type, member, reminder) was seen, of every match."""
    return Counter((e["type"], e["member_id"], e.get("reminder", 0)) for e in seen)


async def test_members_accept_decline_and_the_silent_one_is_reminded_twice_then_unanswered(
    make_settings: Any, nats_server: Any
) -> None:
    settings: Settings = make_settings(life_timer_poll_s=0.05)
    clock, tag, hr = AdjustableClock(), uuid.uuid4().hex[:6], bearer(settings, "hr", "coordinator")
    people = community(12, tag)
    ids: list[str] = []
    app = matcher_app(settings, clock)
    async with running(app) as m, life_listener(nats_server.url, ids) as seen:
        await publish_all(nats_server.url, people)
        await wait_projected(m, hr, len(people), [p.member_id for p in people])
        round_id, found = await published_mentoring(m, hr, tag)
        ids.append(round_id)
        (a, b), (c, d) = found[0]["members"], found[1]["members"]
        accepted = await m.post(f"/me/matches/{found[0]['id']}/answer", json={"accept": True},
                                headers=bearer(settings, a))  # fmt: skip
        assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
        again = await m.post(f"/me/matches/{found[0]['id']}/answer", json={"accept": True},
                             headers=bearer(settings, a))  # fmt: skip
        assert again.json()["answered_at"] == accepted.json()["answered_at"]
        changed = await m.post(f"/me/matches/{found[0]['id']}/answer",
                               json={"accept": False, "reason": "other"},
                               headers=bearer(settings, a))  # fmt: skip
        assert changed.status_code == 409 and changed.json()["code"] == "match_already_answered"
        no_reason = await m.post(f"/me/matches/{found[0]['id']}/answer", json={"accept": False},
                                 headers=bearer(settings, b))  # fmt: skip
        assert no_reason.status_code == 409 and "raison" in no_reason.json()["detail"]
        declined = await m.post(f"/me/matches/{found[1]['id']}/answer",
                                json={"accept": False, "reason": "not_available"},
                                headers=bearer(settings, c))  # fmt: skip
        assert declined.json()["state"] == "declined"
        stranger = await m.post(f"/me/matches/{found[1]['id']}/answer", json={"accept": True},
                                headers=bearer(settings, a))  # fmt: skip
        assert stranger.status_code == 404

        answers = (await m.get(f"/rounds/{round_id}/answers", headers=hr)).json()
        pending = sum(len(x["members"]) for x in found) - 2
        assert answers["counts"] == {"accepted": 1, "declined": 1, "pending": pending,
                                     "unanswered": 0}  # fmt: skip
        per_match = {x["match_id"]: x["counts"] for x in answers["matches"]}
        assert per_match[found[1]["id"]] == {"declined": 1, "pending": 1}
        one = {"match_id": [found[1]["id"]]}
        paged = (await m.get(f"/rounds/{round_id}/answers", params=one, headers=hr)).json()
        assert [x["match_id"] for x in paged["matches"]] == [found[1]["id"]]
        assert paged["counts"] == answers["counts"]  # the totals stay the round's
        too_many = {"match_id": [f"x{i}" for i in range(501)]}
        refused = await m.get(f"/rounds/{round_id}/answers", params=too_many, headers=hr)
        assert refused.status_code == 422
        member_view = await m.get("/rounds/{round_id}/answers", headers=bearer(settings, a))
        assert member_view.status_code == 403

        # the reminders fall at 7/3 and 14/3 days, "no answer" at 7 days
        clock.advance(3 * DAY)
        await eventually(lambda: counted(seen)[("match.response_reminded", d, 1)], timeout=15)
        clock.advance(2 * DAY)
        await eventually(lambda: counted(seen)[("match.response_reminded", d, 2)], timeout=15)
        clock.advance(3 * DAY)
        await eventually(lambda: counted(seen)[("match.unanswered", d, 0)], timeout=15)
        await asyncio.sleep(0.5)  # time for a duplicate to show, were there one
        got = counted(seen)
        assert got[("match.accepted", a, 0)] == got[("match.declined", c, 0)] == 1
        assert got[("match.response_reminded", d, 1)] == got[("match.response_reminded", d, 2)] == 1
        assert got[("match.unanswered", d, 0)] == 1
        of_a = {e["type"] for e in seen if e["member_id"] == a and e["match_id"] == found[0]["id"]}
        of_c = {e["type"] for e in seen if e["member_id"] == c and e["match_id"] == found[1]["id"]}
        assert (of_a, of_c) == ({"match.accepted"}, {"match.declined"})  # no reminder to them
        assert len({e["event_id"] for e in seen}) == len(seen)  # nothing published twice
        late = await m.post(f"/me/matches/{found[1]['id']}/answer", json={"accept": True},
                            headers=bearer(settings, d))  # fmt: skip
        assert late.status_code == 409 and late.json()["code"] == "match_deadline_passed"


async def test_a_timer_due_while_the_matcher_was_down_fires_once_after_the_restart(
    make_settings: Any, nats_server: Any
) -> None:
    settings: Settings = make_settings(life_timer_poll_s=0.05)
    clock, tag, hr = AdjustableClock(), uuid.uuid4().hex[:6], bearer(settings, "hr", "coordinator")
    people = community(6, tag)
    ids: list[str] = []
    async with running(matcher_app(settings, clock)) as m:
        await publish_all(nats_server.url, people)
        await wait_projected(m, hr, len(people), [p.member_id for p in people])
        round_id, found = await published_mentoring(m, hr, tag)
        ids.append(round_id)
    clock.advance(3 * DAY)  # the first reminder falls due while nothing runs
    async with life_listener(nats_server.url, ids) as seen:
        expected = sum(len(x["members"]) for x in found)
        for _ in range(2):  # started twice: the second start fires nothing again
            async with running(matcher_app(settings, clock)) as m:
                await eventually(lambda: len(seen) >= expected, timeout=15)
                await asyncio.sleep(0.3)
        assert sorted(e["type"] for e in seen) == ["match.response_reminded"] * expected
        assert len({e["event_id"] for e in seen}) == expected


async def test_the_check_in_is_asked_at_fourteen_days_and_answered_once(
    make_settings: Any, nats_server: Any
) -> None:
    settings: Settings = make_settings(life_timer_poll_s=0.05, matcher_clock="adjustable")
    tag, hr = uuid.uuid4().hex[:6], bearer(settings, "hr", "coordinator")
    people = community(6, tag)
    ids: list[str] = []
    async with running(matcher_app(settings)) as m, life_listener(nats_server.url, ids) as seen:
        await publish_all(nats_server.url, people)
        await wait_projected(m, hr, len(people), [p.member_id for p in people])
        round_id, found = await published_mentoring(m, hr, tag)
        ids.append(round_id)
        match_id, (a, b) = found[0]["id"], found[0]["members"]
        as_a = bearer(settings, a)
        too_soon = await m.post(f"/me/matches/{match_id}/checkin",
                                json={"met": True, "fit": "good"}, headers=as_a)  # fmt: skip
        assert too_soon.status_code == 409
        for who in (a, b):
            await m.post(f"/me/matches/{match_id}/answer", json={"accept": True},
                         headers=bearer(settings, who))  # fmt: skip
        member_clock = await m.post("/_test/clock/advance", json={"seconds": 1},
                                    headers=bearer(settings, a))  # fmt: skip
        assert member_clock.status_code == 403
        moved = await m.post("/_test/clock/advance", json={"seconds": 14 * 86_400}, headers=hr)
        assert moved.json()["offset_s"] == 14 * 86_400

        def asked() -> list[dict[str, Any]]:
            return [e for e in seen if e["type"] == "match.checkin_requested"
                    and e["match_id"] == match_id]  # fmt: skip

        await eventually(lambda: len(asked()) == 2, timeout=15)
        answered = await m.post(f"/me/matches/{match_id}/checkin",
                                json={"met": True, "fit": "unsure"}, headers=as_a)  # fmt: skip
        assert answered.json()["fit"] == "unsure" and answered.json()["met"] is True
        await m.post("/_test/clock/advance", json={"seconds": 7 * 86_400}, headers=hr)
        await eventually(lambda: len(asked()) == 3, timeout=15)  # only b is reminded
        await asyncio.sleep(0.3)
        assert [(e["member_id"], e["reminder"]) for e in asked()] in (
            [(a, 0), (b, 0), (b, 1)], [(b, 0), (a, 0), (b, 1)])  # fmt: skip
        assert sum(e["type"] == "match.checkin_answered" for e in seen) == 1


async def test_the_clock_cannot_be_moved_unless_the_settings_allow_it(make_settings: Any) -> None:
    settings: Settings = make_settings()
    async with running(matcher_app(settings)) as m:
        hr = bearer(settings, "hr", "coordinator")
        moved = await m.post("/_test/clock/advance", json={"seconds": 60}, headers=hr)
        assert moved.status_code == 404
    with pytest.raises(ValueError, match="refused in production"):
        Settings(env="production", jwt_secret="x" * 40, session_secret="y" * 40,
                 matcher_clock="adjustable")  # type: ignore[arg-type]  # fmt: skip


async def test_a_group_member_declines_the_coordinator_sees_it_per_group_seats_are_not_answered(
    make_settings: Any, nats_server: Any
) -> None:
    settings: Settings = make_settings()
    tag, hr = uuid.uuid4().hex[:6], bearer(settings, "hr", "coordinator")
    people = community(24, tag)
    async with running(matcher_app(settings, AdjustableClock())) as m:
        await publish_all(nats_server.url, people)
        await wait_projected(m, hr, len(people), [p.member_id for p in people])
        body = {"client_request_id": f"g-{tag}", "kind": "groups"}
        round_id, _ = await propose_round(m, hr, body)
        groups = (await m.get(f"/rounds/{round_id}/matches", headers=hr)).json()["items"]
        await m.post(f"/rounds/{round_id}/publish", headers=hr)
        group, member = groups[0], groups[0]["members"][1]
        declined = await m.post(f"/me/matches/{group['id']}/answer",
                                headers=bearer(settings, member),
                                json={"accept": False, "reason": "left"})  # fmt: skip
        assert declined.status_code == 200
        answers = (await m.get(f"/rounds/{round_id}/answers", headers=hr)).json()
        per_group = {x["match_id"]: x for x in answers["matches"]}
        assert per_group[group["id"]]["counts"]["declined"] == 1
        assert {p["member_id"] for p in per_group[group["id"]]["people"]} >= set(group["members"])
        assert answers["counts"]["declined"] == 1

        rotation = {"client_request_id": f"r-{tag}", "kind": "rotations",
                    "parameters": {"table_size": 4, "rounds": 2}}  # fmt: skip
        rotation_id, _ = await propose_round(m, hr, rotation)
        seats = (await m.get(f"/rounds/{rotation_id}/matches", headers=hr)).json()["items"]
        await m.post(f"/rounds/{rotation_id}/publish", headers=hr)
        seat, who = seats[0]["id"], seats[0]["members"][0]
        refused = await m.post(f"/me/matches/{seat}/answer", json={"accept": True},
                               headers=bearer(settings, who))  # fmt: skip
        assert refused.status_code == 409 and refused.json()["code"] == "match_not_answerable"
        assert (await m.get(f"/rounds/{rotation_id}/answers", headers=hr)).json()["matches"] == []
