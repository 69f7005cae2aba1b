"""Helpers for the matcher tests: a synthetic community published as member events."""

from __future__ import annotations

import random
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import nats

from shared import subjects
from shared.events import MatchingProfile, MemberRegistered, OptIns
from tests.support import eventually, json_object

#: The skill mentors of :func:`register` offer and their mentees want.
SKILL = "gestion_agenda"
SITES = ["Paris", "Lyon", "Lille", "Nantes", "Marseille"]
THEMES = ["outils", "deplacements", "evenements", "budget", "rh"]


def community(n: int, tag: str, seed: int = 1) -> list[MemberRegistered]:
    rng = random.Random(seed)
    events = []
    for i in range(n):
        opt = OptIns(
            groups=True,
            seminars=True,
            facilitator=i % 8 == 0,
            mentor=i % 3 == 0,
            mentor_capacity=2 if i % 3 == 0 else 0,
            mentee=i % 3 != 0,
        )
        profile = MatchingProfile(
            site=SITES[i % len(SITES)],
            function=rng.choice(["AD", "AE", "AC"]),
            themes=tuple(rng.sample(THEMES, 2)),
            skills={"agenda": rng.randrange(5)},
            skills_wanted=("agenda",),
            opt_ins=opt,
        )
        events.append(
            MemberRegistered(producer="t", member_id=f"{tag}-{i}", version=1, profile=profile)
        )
    return events


async def publish_all(url: str, events: list[MemberRegistered]) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    for e in events:
        await js.publish(e.subject, e.model_dump_json().encode())
    await nc.close()


async def wait_state(client, round_id: str, headers, state: str) -> dict:
    async def check() -> dict | None:
        body = (await client.get(f"/rounds/{round_id}", headers=headers)).json()
        assert body["state"] != "failed", body
        return body if body["state"] == state else None

    return await eventually(check, timeout=60)  # type: ignore[return-value]


async def wait_projected(  # type: ignore[no-untyped-def]
    client, headers, n: int, ids: Iterable[str] = ()
) -> None:
    """Wait until the matcher's projection holds at least ``n`` members, and each of
    ``ids``: the session's broker also replays other tests' members to a new matcher,
    so a count alone can be reached before this test's own members are in."""
    wanted = list(ids)

    async def projected() -> bool:
        if (await client.get("/members/count", headers=headers)).json()["members"] < n:
            return False
        for member_id in wanted:
            if (await client.get(f"/members/{member_id}", headers=headers)).status_code != 200:
                return False
        return True

    await eventually(projected)


async def propose_round(client, headers, body: dict) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    """Create a round and wait for its proposal: (round id, round)."""
    round_id = (await client.post("/rounds", json=body, headers=headers)).json()["id"]
    return round_id, await wait_state(client, round_id, headers, "proposed")


async def register(  # type: ignore[no-untyped-def]
    profiles, hr: dict, name: str, site: str, **opt: Any
) -> tuple[str, str]:
    """Register a member through the profiles API: a mentor offering :data:`SKILL`
    (``mentor=True``) or a mentee wanting it; returns (id, e-mail)."""
    email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.com"
    body: dict[str, Any] = {"display_name": name, "email": email, "site": site, "opt_ins": opt}
    if opt.get("mentor"):
        body["skills"] = {SKILL: 4}
    else:
        body["skills_wanted"] = [SKILL]
    r = await profiles.post("/members", json=body, headers=hr)
    assert r.status_code == 201, r.text
    return r.json()["id"], email


@asynccontextmanager
async def life_listener(url: str, round_id: list[str]) -> AsyncIterator[list[dict[str, Any]]]:
    """Every life event of the round (``round_id[0]``) that reaches JetStream, as it comes."""
    nc = await nats.connect(url)
    seen: list[dict[str, Any]] = []

    async def keep(msg: Any) -> None:
        body = json_object(msg.data) or {}
        if round_id and body.get("round_id") == round_id[0]:
            seen.append(body)
        await msg.ack()

    sub = await nc.jetstream().subscribe(subjects.LIFE_ALL, cb=keep, deliver_policy="new")
    try:
        yield seen
    finally:
        await sub.unsubscribe()
        await nc.close()
