"""The fault suite's workload and checker: members edit profiles; nothing acknowledged is lost.

:class:`History` records every write the profiles service acknowledged (2xx, with the
member's new version). :func:`check` compares it, once the faults are over, with the
``ENTRAIDE_MEMBERS`` stream (read as the operator) and the matcher's projection:

* **lost**: an acknowledged version absent from the stream;
* **duplicated**: one (member, version) carried by more than one message of the stream;
* **stale**: the matcher's projection behind the member's last acknowledged version;
* **stuck**: events the matcher's durable consumer still has pending or unacknowledged.

The announcements of the rounds published meanwhile are checked by
:mod:`deploy.faults.announcements` (SMTP sink, deliveries, inboxes), and the rounds
themselves (stuck: not computed or published in time) by the scenario.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import httpx
import nats
import nats.errors
import nats.js.errors

from deploy.faults.announcements import Announcements
from shared.subjects import (
    DURABLE_MATCHER_MEMBERS,
    DURABLE_NOTIFIER_MATCHES,
    MEMBERS_ALL,
    STREAM_MATCHES,
    STREAM_MEMBERS,
)

#: The durable consumers whose backlog must drain and whose leaders the faults report:
#: the matcher's projection of members, the notifier's announcements of matches.
CONSUMERS = {
    "matcher members": (STREAM_MEMBERS, DURABLE_MATCHER_MEMBERS),
    "notifier matches": (STREAM_MATCHES, DURABLE_NOTIFIER_MATCHES),
}


T = TypeVar("T")
#: What a read of JetStream may meet while the cluster is still electing leaders.
TRANSIENT = (nats.errors.Error, nats.js.errors.Error, TimeoutError, OSError)


async def retried(read: Callable[[], Awaitable[T]], timeout: float = 60.0) -> T:
    """``read()``, tried again for ``timeout`` seconds while JetStream is unavailable
    (a leader election after a fault answers 503 for a moment)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await read()
        except TRANSIENT:
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(1)


class Http(Protocol):
    """What the workload needs of an HTTP client (httpx's, or the replicas')."""

    async def post(self, path: str, **kwargs: Any) -> httpx.Response: ...

    async def patch(self, path: str, **kwargs: Any) -> httpx.Response: ...


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
        "opt_ins": {"mentee": True, "groups": True, "mentor": i % 4 == 0},
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
    client: Http, headers: dict[str, str], history: History, count: int, run: str
) -> list[str]:
    """Register ``count`` members; the ids of those acknowledged."""
    ids = []
    for i in range(count):
        try:
            r = await client.post("/members", json=member(i, run), headers=headers)
        except httpx.TransportError:
            history.failed += 1
            continue
        if r.status_code == 201:
            ids.append(r.json()["id"])
            history.ack(ids[-1], int(r.json()["version"]))
        else:
            history.failed += 1
    return ids


async def edit_until(
    client: Http,
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
        try:
            r = await client.patch(f"/members/{member_id}", json=body, headers=headers)
        except httpx.TransportError:  # every replica down or cut off: not acknowledged
            r = None
        if r is not None and r.status_code == 200:
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


async def consumer_backlog(urls: list[str], consumer: str = "matcher members") -> int:
    """Messages a durable consumer (of :data:`CONSUMERS`) has not yet acknowledged."""
    return await retried(lambda: _backlog(urls, *CONSUMERS[consumer]))


async def _backlog(urls: list[str], stream: str, durable: str) -> int:
    nc = await nats.connect(urls, connect_timeout=2)
    try:
        info = await nc.jetstream(timeout=10).consumer_info(stream, durable)
        return int(info.num_pending or 0) + int(info.num_ack_pending or 0)
    finally:
        await nc.close()


async def consumer_leaders(urls: list[str]) -> dict[str, str]:
    """The server leading each durable consumer of :data:`CONSUMERS` (acks go there)."""
    return await retried(lambda: _leaders(urls))


async def _leaders(urls: list[str]) -> dict[str, str]:
    nc = await nats.connect(urls, connect_timeout=2)
    try:
        js = nc.jetstream(timeout=10)
        leaders = {}
        for name, (stream, durable) in CONSUMERS.items():
            info = await js.consumer_info(stream, durable)
            leaders[name] = str(info.cluster.leader) if info.cluster else ""
        return leaders
    finally:
        await nc.close()


@dataclass
class Verdict:
    acknowledged: int
    lost: list[tuple[str, int]]
    duplicated: list[tuple[str, int]]
    stale: list[str]
    stuck: int
    announcements: Announcements = field(default_factory=Announcements)
    #: rounds neither computed nor published once the faults are over
    stuck_rounds: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        a = self.announcements
        return not (
            self.lost
            or self.duplicated
            or self.stale
            or self.stuck
            or a.lost
            or a.duplicated
            or a.stuck
            or self.stuck_rounds
        )


async def check(
    history: History, urls: list[str], projected: Callable[[str], Awaitable[int]]
) -> Verdict:
    """Compare the acknowledged writes with the stream and the matcher's projection
    (``projected(member_id)`` gives the projection's version, 0 when absent)."""
    seen = await retried(lambda: stream_versions(urls))
    acked = [(m, v) for m, versions in history.acked.items() for v in versions]
    stale = [m for m, versions in history.acked.items() if await projected(m) < max(versions)]
    return Verdict(
        acknowledged=len(acked),
        lost=[key for key in acked if seen[key] == 0],
        duplicated=sorted(key for key, n in seen.items() if n > 1),
        stale=stale,
        stuck=sum([await consumer_backlog(urls, name) for name in CONSUMERS]),
    )
