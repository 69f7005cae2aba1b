"""Erasure reaches everything in the matcher: tombstones, refused tokens, registering again."""

from __future__ import annotations

import asyncio
import re

import nats
import pytest

from shared.events import MemberErased, MemberEvent, MemberRegistered
from tests.matcher_support import propose_round
from tests.support import bearer, eventually

pytestmark = pytest.mark.nats


async def publish(url: str, *events: MemberEvent) -> None:
    nc = await nats.connect(url)
    for e in events:
        await nc.jetstream().publish(e.subject, e.model_dump_json().encode())
    await nc.close()


async def test_an_erased_member_leaves_a_tombstone_and_can_register_again(
    matcher_env, nats_server
) -> None:
    async with matcher_env(24, seed=6) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        for kind, params in (("mentoring", {}), ("groups", {}), ("rotations", {"rounds": 2})):
            body = {"client_request_id": f"{kind}-{tag}", "kind": kind, "parameters": params}
            rid, _ = await propose_round(matcher, hr, body)
            assert (await matcher.post(f"/rounds/{rid}/publish", headers=hr)).is_success
        rounds = [r["id"] for r in (await matcher.get("/rounds", headers=hr)).json()["items"]]
        mentoring: list[dict] = []
        for r in rounds:  # find the mentoring round's pairs
            items = (await matcher.get(f"/rounds/{r}/matches", headers=hr)).json()["items"]
            if items and items[0]["kind"] == "mentoring":
                mentoring = items
        gone, partner = mentoring[0]["members"][1], mentoring[0]["members"][0]
        old_token = bearer(env.settings, gone)
        mine = (await matcher.get("/me/matches", headers=old_token)).json()
        assert mine["total"] == 3

        registered = next(e for e in env.people if e.member_id == gone)
        await publish(nats_server.url, MemberErased(producer="profiles", member_id=gone, version=2))

        async def refused() -> bool:
            return (await matcher.get("/me/matches", headers=old_token)).status_code == 401

        await eventually(refused, timeout=30)
        theirs = await matcher.get("/me/matches", headers=bearer(env.settings, partner))
        assert not _names(theirs.text, gone) and '"erased":true' in theirs.text.replace(" ", "")
        for r in rounds:
            shown = (await matcher.get(f"/rounds/{r}/matches?limit=200", headers=hr)).text
            exported = (await matcher.get(f"/rounds/{r}/export", headers=hr)).text
            as_csv = (await matcher.get(f"/rounds/{r}/export?format=csv", headers=hr)).text
            tables = (await matcher.get(f"/rounds/{r}/tables?limit=500", headers=hr)).text
            assert not _names(shown + exported + as_csv + tables, gone)

        again = registered.model_copy(update={"event_id": f"re-{tag}", "version": 3})
        stale = registered.model_copy(update={"event_id": f"stale-{tag}", "version": 2})
        await publish(nats_server.url, stale, again)

        async def back() -> dict | None:
            found = await matcher.get(f"/members/{gone}", headers=hr)
            return found.json() if found.status_code == 200 else None

        assert (await eventually(back, timeout=30))["version"] == 3  # type: ignore[index]
        await asyncio.sleep(1.1)  # a token of the new account, issued after the erasure
        fresh = await matcher.get("/me/matches", headers=bearer(env.settings, gone))
        assert fresh.status_code == 200 and fresh.json()["total"] == 0


def _names(text: str, member_id: str) -> bool:
    """``member_id`` appears in ``text`` as a whole id (``tag-1`` is not in ``tag-12``)."""
    return re.search(rf"(?<![\w-]){re.escape(member_id)}(?![\w-])", text) is not None


async def test_a_stale_registration_after_an_erasure_is_ignored(matcher_env, nats_server) -> None:
    async with matcher_env(6, seed=2) as env:
        first: MemberRegistered = env.people[0]
        await publish(
            nats_server.url, MemberErased(producer="p", member_id=first.member_id, version=4)
        )

        async def erased() -> bool:
            found = await env.client.get(f"/members/{first.member_id}", headers=env.hr)
            return found.status_code == 404

        await eventually(erased, timeout=30)
        redelivery = first.model_copy(update={"event_id": f"redo-{env.tag}", "version": 4})
        later = env.people[1].model_copy(update={"event_id": f"later-{env.tag}", "version": 2})
        await publish(nats_server.url, redelivery, later)

        async def later_applied() -> bool:
            found = await env.client.get(f"/members/{later.member_id}", headers=env.hr)
            return found.json().get("version") == 2

        await eventually(later_applied, timeout=30)  # the stream is past the redelivery
        found = await env.client.get(f"/members/{first.member_id}", headers=env.hr)
        assert found.status_code == 404
