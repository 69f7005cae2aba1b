"""The fault suite's workload and checker: members edit profiles; nothing acknowledged is lost.

:class:`History` records every write the profiles service acknowledged (2xx, with the
member's new version). :func:`check` compares it, once the faults are over, with the
``ENTRAIDE_MEMBERS`` stream (read as the operator) and the matcher's projection:

* **lost**: an acknowledged version absent from the stream;
* **duplicated**: one (member, version) carried by more than one message of the stream;
* **stale**: the matcher's projection behind the member's last acknowledged version;
* **stuck**: events the matcher's durable consumer still has pending or unacknowledged.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import nats

from shared.subjects import DURABLE_MATCHER_MEMBERS, MEMBERS_ALL, STREAM_MEMBERS

SITES = ("Lyon Part-Dieu", "Paris La Défense", "Nantes", "Lille")


def member(i: int, run: str) -> dict[str, object]:
    """A member of the workload (unique e-mail per run)."""
    return {
        "display_name": f"Membre {i}",
        "email": f"m{i}.{run}@example.com",
        "site": SITES[i % len(SITES)],
        "function": "technicien",
        "languages": ["fr"],
        "skills": {"organisation_deplacements": 1 + i % 3},
        "themes": ["outils_numeriques"],
        "opt_ins": {"mentee": True},
    }


@dataclass
class History:
    """Acknowledged writes: member id -> versions answered 2xx; refused/failed requests."""

    acked: dict[str, list[int]] = field(default_factory=dict)
    failed: int = 0

    def ack(self, member_id: str, version: int) -> None:
        self.acked.setdefault(member_id, []).append(version)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.acked.values())


async def register(
    client: httpx.AsyncClient, headers: dict[str, str], history: History, count: int, run: str
) -> list[str]:
    """Register ``count`` members; the ids of those acknowledged."""
    ids = []
    for i in range(count):
        r = await client.post("/members", json=member(i, run), headers=headers)
        if r.status_code == 201:
            ids.append(r.json()["id"])
            history.ack(ids[-1], int(r.json()["version"]))
        else:
            history.failed += 1
    return ids


async def edit_until(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    history: History,
    ids: list[str],
    done: Callable[[], bool],
    pause: float = 0.01,
) -> None:
    """Edit the members' profiles in turn until ``done()``."""
    turn = 0
    while not done():
        member_id = ids[turn % len(ids)]
        level = 1 + turn % 3
        body = {"skills": {"organisation_deplacements": level}, "languages": ["fr", "en"]}
        r = await client.patch(f"/members/{member_id}", json=body, headers=headers)
        if r.status_code == 200:
            history.ack(member_id, int(r.json()["version"]))
        else:
            history.failed += 1
        turn += 1
        await asyncio.sleep(pause)


async def stream_versions(urls: list[str]) -> Counter[tuple[str, int]]:
    """How many messages of the members' stream carry each (member, version)."""
    nc = await nats.connect(urls, connect_timeout=2)
    try:
        js = nc.jetstream(timeout=10)
        seen: Counter[tuple[str, int]] = Counter()
        info = await js.stream_info(STREAM_MEMBERS)
        last = info.state.last_seq
        sub = await js.subscribe(MEMBERS_ALL, ordered_consumer=True)
        try:
            while last:
                msg = await sub.next_msg(timeout=10)
                body = json.loads(msg.data)
                seen[(body["member_id"], int(body["version"]))] += 1
                if msg.metadata.sequence.stream >= last:
                    break
        finally:
            await sub.unsubscribe()
        return seen
    finally:
        await nc.close()


async def consumer_backlog(urls: list[str]) -> int:
    """Messages the matcher's durable consumer has not yet acknowledged."""
    nc = await nats.connect(urls, connect_timeout=2)
    try:
        info = await nc.jetstream(timeout=10).consumer_info(STREAM_MEMBERS, DURABLE_MATCHER_MEMBERS)
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)
    finally:
        await nc.close()


async def consumer_leader(urls: list[str]) -> str:
    """The server leading the matcher's durable consumer (its acks go there)."""
    nc = await nats.connect(urls, connect_timeout=2)
    try:
        info = await nc.jetstream(timeout=10).consumer_info(STREAM_MEMBERS, DURABLE_MATCHER_MEMBERS)
        return str(info.cluster.leader) if info.cluster else ""
    finally:
        await nc.close()


@dataclass
class Verdict:
    acknowledged: int
    lost: list[tuple[str, int]]
    duplicated: list[tuple[str, int]]
    stale: list[str]
    stuck: int

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.stale or self.stuck)


async def check(
    history: History, urls: list[str], projected: Callable[[str], Awaitable[int]]
) -> Verdict:
    """Compare the acknowledged writes with the stream and the matcher's projection
    (``projected(member_id)`` gives the projection's version, 0 when absent)."""
    seen = await stream_versions(urls)
    acked = [(m, v) for m, versions in history.acked.items() for v in versions]
    stale = [m for m, versions in history.acked.items() if await projected(m) < max(versions)]
    return Verdict(
        acknowledged=len(acked),
        lost=[key for key in acked if seen[key] == 0],
        duplicated=sorted(key for key, n in seen.items() if n > 1),
        stale=stale,
        stuck=await consumer_backlog(urls),
    )
