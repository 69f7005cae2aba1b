"""A seminar's seating plan a page of tables at a time (``GET /rounds/{id}/tables``),
against a real nats-server: the pages agree with the round's matches, follow a swap,
and a page beyond the end is empty."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.matcher_support import propose_round

pytestmark = pytest.mark.nats


def plan_from_matches(items: list[dict]) -> dict[tuple[int, int], list[str]]:
    tables: dict[tuple[int, int], list[str]] = defaultdict(list)
    for m in items:
        for seat in m["data"]["seats"]:
            tables[(seat["seminar_round"], seat["table"])].append(m["members"][0])
    return {k: sorted(v) for k, v in sorted(tables.items())}


async def all_tables(matcher, hr, round_id: str, limit: int, **params: int) -> list[dict]:  # type: ignore[no-untyped-def]
    found: list[dict] = []
    while True:
        page = (
            await matcher.get(
                f"/rounds/{round_id}/tables",
                params={"limit": limit, "offset": len(found), **params},
                headers=hr,
            )
        ).json()
        found += page["items"]
        if not page["items"] or len(found) >= page["total"]:
            return found


async def test_pages_of_tables_give_the_seats_of_the_matches_in_order_and_follow_a_swap(
    matcher_env,
) -> None:
    async with matcher_env(24, seed=3) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        body = {"client_request_id": f"seats-{tag}", "kind": "rotations",
                "parameters": {"table_size": 4, "rounds": 3}}  # fmt: skip
        rid, _ = await propose_round(matcher, hr, body)
        items = (await matcher.get(f"/rounds/{rid}/matches?limit=500", headers=hr)).json()["items"]
        expected = plan_from_matches(items)
        assert len(expected) == 18  # 6 tables in each of 3 rotations

        first = (await matcher.get(f"/rounds/{rid}/tables?limit=5", headers=hr)).json()
        assert first["total"] == 18 and len(first["items"]) == 5
        second = (await matcher.get(f"/rounds/{rid}/tables?limit=5&offset=5", headers=hr)).json()
        keys = list(expected)
        assert [(t["seminar_round"], t["table"]) for t in second["items"]] == keys[5:10]
        paged = await all_tables(matcher, hr, rid, limit=5)
        assert {(t["seminar_round"], t["table"]): t["members"] for t in paged} == expected

        one = await all_tables(matcher, hr, rid, limit=4, seminar_round=2)
        assert [(t["seminar_round"], t["table"]) for t in one] == [(2, t) for t in range(6)]
        beyond = await matcher.get(f"/rounds/{rid}/tables?offset=18", headers=hr)
        assert beyond.status_code == 200
        assert beyond.json()["items"] == [] and beyond.json()["total"] == 18

        a, b = expected[(0, 0)][0], expected[(0, 1)][0]
        swap = {"adjustment": {"action": "swap", "member_a": a, "member_b": b}}
        assert (await matcher.post(f"/rounds/{rid}/adjustments", json=swap, headers=hr)).is_success
        after = {(t["seminar_round"], t["table"]): t["members"]
                 for t in await all_tables(matcher, hr, rid, limit=500)}  # fmt: skip
        assert b in after[(0, 0)] and a in after[(0, 1)]
        items = (await matcher.get(f"/rounds/{rid}/matches?limit=500", headers=hr)).json()["items"]
        assert after == plan_from_matches(items)


async def test_a_round_without_seats_has_no_tables_and_an_unknown_round_is_a_404(
    matcher_env,
) -> None:
    async with matcher_env(12, seed=4) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        body = {"client_request_id": f"g-{tag}", "kind": "groups"}
        rid, _ = await propose_round(matcher, hr, body)
        none = (await matcher.get(f"/rounds/{rid}/tables", headers=hr)).json()
        assert none["items"] == [] and none["total"] == 0
        assert (await matcher.get("/rounds/nope/tables", headers=hr)).status_code == 404
        bad = await matcher.get(f"/rounds/{rid}/tables?seminar_round=-1", headers=hr)
        assert bad.status_code == 422
