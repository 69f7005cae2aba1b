"""The fault suite's workload beyond profile edits: an HR import, rounds, over replicas.

:class:`Replicas` sends each request to the next replica of a service and, when one
does not answer (killed, partitioned, frozen), to the other: the client side of two
replicas without a load balancer. :func:`import_members` imports members from an HR
CSV file and records the acknowledged ones in the :class:`~deploy.faults.history.History`;
:func:`create_round`, :func:`wait_state` and :func:`publish` drive a round as a
coordinator does (retrying through faults: ``client_request_id`` makes a retried
creation the same round).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from deploy.faults.history import SITES, History

#: The rounds' states a coordinator waits for: computed, then published.
SETTLED = ("proposed", "published")
CSV_HEADER = "email;display_name;site;function;languages;skills;mentee;groups"


@dataclass
class Replicas:
    """HTTP to the replicas of one service, in turn, failing over to the next."""

    clients: Sequence[httpx.AsyncClient]
    turn: int = 0

    @classmethod
    def of(cls, urls: Sequence[str], timeout: float = 10.0) -> Replicas:
        return cls([httpx.AsyncClient(base_url=url, timeout=timeout) for url in urls])

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        failure: httpx.TransportError | None = None
        for _ in self.clients:
            client = self.clients[self.turn % len(self.clients)]
            self.turn += 1
            try:
                return await client.request(method, path, **kwargs)
            except httpx.TransportError as exc:  # that replica is down or cut off
                failure = exc
        assert failure is not None
        raise failure

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", path, **kwargs)

    async def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", path, **kwargs)

    async def until_ok(self, method: str, path: str, timeout: float, **kwargs: Any) -> Any:
        """The JSON of the first 2xx answer to a request retried for ``timeout`` seconds
        (an idempotent request: a read, or a creation with its ``client_request_id``)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                r = await self.request(method, path, **kwargs)
                if r.is_success:
                    return r.json()
                failure = f"{r.status_code} {r.text[:200]}"
            except httpx.TransportError as exc:
                failure = repr(exc)
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method} {path}: no answer in {timeout} s ({failure})")
            await asyncio.sleep(0.5)

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()


async def import_members(
    profiles: Replicas, headers: dict[str, str], history: History, count: int, tag: str
) -> int:
    """HR imports ``count`` new members from a CSV file; those acknowledged are recorded
    with their version (read back from the export). The number imported."""
    emails = [f"imp{i}.{tag}@example.com" for i in range(count)]
    rows = [
        f"{email};Importé {i};{SITES[i % len(SITES)]};technicien;fr;"
        f"organisation_deplacements:{1 + i % 3};oui;oui"
        for i, email in enumerate(emails)
    ]
    content = "\n".join([CSV_HEADER, *rows]).encode()
    try:
        r = await profiles.post(
            "/members/import", files={"file": ("rh.csv", content, "text/csv")}, headers=headers
        )
    except httpx.TransportError:
        r = None
    if r is None or r.status_code != 200:
        history.failed += 1
        return 0
    exported = await profiles.until_ok("GET", "/members/export", 60, headers=headers)
    wanted = set(emails)
    for m in exported:
        if m["email"] in wanted:
            history.ack(m["id"], int(m["version"]))
    return int(r.json()["created"])


async def create_round(
    matcher: Replicas, headers: dict[str, str], kind: str, request_id: str, timeout: float = 120
) -> str:
    body: dict[str, Any] = {"client_request_id": request_id, "kind": kind}
    if kind == "groups":
        body["parameters"] = {"min_size": 4, "target_size": 5, "max_size": 6}
    created = await matcher.until_ok("POST", "/rounds", timeout, json=body, headers=headers)
    return str(created["id"])


async def round_state(matcher: Replicas, headers: dict[str, str], round_id: str) -> str:
    try:
        r = await matcher.get(f"/rounds/{round_id}", headers=headers)
    except httpx.TransportError:
        return "unknown"
    return str(r.json()["state"]) if r.status_code == 200 else "unknown"


async def wait_state(
    matcher: Replicas, headers: dict[str, str], round_id: str, timeout: float
) -> str:
    """Wait until the round is computed (or published); its last state seen."""
    deadline = time.monotonic() + timeout
    while (state := await round_state(matcher, headers, round_id)) not in SETTLED:
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    return state


async def publish(
    matcher: Replicas, headers: dict[str, str], round_id: str, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while await round_state(matcher, headers, round_id) != "published":
        if time.monotonic() > deadline:
            raise TimeoutError(f"round {round_id} not published in {timeout} s")
        try:
            await matcher.post(f"/rounds/{round_id}/publish", headers=headers)
        except httpx.TransportError:
            await asyncio.sleep(0.5)
