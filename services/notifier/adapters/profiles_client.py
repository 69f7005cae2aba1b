"""Contact details from the profiles service, over its authenticated HTTP API.

Events carry no contact data: at send time the notifier asks
``GET {profiles}/members/{id}`` with a service token. A 404 means the member was
erased (``None``); a network error or a 5xx is transient (:class:`ProfilesUnavailable`).
Missing optional fields take their defaults, so an older profiles keeps working.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import httpx

from services.notifier.domain.errors import ProfilesUnavailable
from services.notifier.domain.model import CHANNELS, DEFAULT_CHANNELS, Channel, Contact
from shared import correlation

TOKEN_TTL_S = 3600
#: The most ids profiles' ``GET /members/contacts`` takes in one call.
IDS_PER_CALL = 500


def contact_from_json(member_id: str, body: dict[str, Any]) -> Contact:
    """A :class:`Contact` from the profiles payload, tolerant of missing fields."""
    channels = body.get("notification_channels")
    chosen: tuple[Channel, ...] = (
        tuple(c for c in channels if c in CHANNELS)
        if isinstance(channels, list)
        else DEFAULT_CHANNELS
    )
    paused = body.get("paused_until")
    language = body.get("preferred_language")
    return Contact(
        member_id=member_id,
        display_name=str(body.get("display_name") or member_id),
        email=str(body.get("email") or ""),
        language="en" if language == "en" else "fr",
        channels=chosen,
        chat_webhook_url=body.get("chat_webhook_url") or None,
        paused_until=date.fromisoformat(paused) if isinstance(paused, str) else None,
    )


class ProfilesClient:
    """Async client with a short-lived cache of lookups (erasures included)."""

    def __init__(
        self,
        base_url: str,
        mint: Callable[[int], str],
        timeout_s: float = 5.0,
        ttl_s: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        concurrency: int = 8,
    ) -> None:
        # Few connections on purpose: httpcore scans its whole pool for every request
        # (measured: 2,000 lookups cost 2.0 ms of CPU each with 32 connections, 1.1 ms
        # with 8, at the same wall time against a local server).
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        self._client = httpx.AsyncClient(
            base_url=base_url, timeout=timeout_s, transport=transport, limits=limits,
            event_hooks=correlation.FORWARD,
        )
        self._mint = mint
        self._token: tuple[str, float] = ("", 0.0)
        self._ttl_s = ttl_s
        self._cache: dict[str, tuple[float, Contact | None]] = {}
        self._inflight: dict[str, asyncio.Future[Contact | None]] = {}
        self._limit = asyncio.Semaphore(concurrency)

    def _bearer(self) -> str:
        token, expires = self._token
        if time.monotonic() > expires - 300:
            token = self._mint(TOKEN_TTL_S)
            self._token = (token, time.monotonic() + TOKEN_TTL_S)
        return token

    async def get(self, member_id: str) -> Contact | None:
        """The member's contact, ``None`` if erased; concurrent asks share one request."""
        cached = self._cache.get(member_id)
        if cached and time.monotonic() - cached[0] < self._ttl_s:
            return cached[1]
        pending = self._inflight.get(member_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Contact | None] = asyncio.get_running_loop().create_future()
        self._inflight[member_id] = future
        try:
            async with self._limit:
                contact = await self._fetch(member_id)
            future.set_result(contact)
            return contact
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            del self._inflight[member_id]

    async def get_many(self, member_ids: Iterable[str]) -> dict[str, Contact | None]:
        """The contacts of many members (``None`` for the erased), in calls of
        :data:`IDS_PER_CALL` ids to ``GET /members/contacts`` (what a message needs, not
        the full profiles) for those not cached: a scan of 200 group messages names
        about 1,400 people, one HTTP request each before."""
        now = time.monotonic()
        found: dict[str, Contact | None] = {}
        missing: list[str] = []
        for member_id in dict.fromkeys(member_ids):
            cached = self._cache.get(member_id)
            if cached and now - cached[0] < self._ttl_s:
                found[member_id] = cached[1]
            else:
                missing.append(member_id)
        chunks = [missing[i : i + IDS_PER_CALL] for i in range(0, len(missing), IDS_PER_CALL)]
        for fetched in await asyncio.gather(*(self._fetch_many(c) for c in chunks)):
            found.update(fetched)
        return found

    async def _fetch_many(self, member_ids: list[str]) -> dict[str, Contact | None]:
        params: list[tuple[str, str | int | float | bool | None]] = [("id", m) for m in member_ids]
        params.append(("limit", IDS_PER_CALL))
        try:
            async with self._limit:
                r = await self._client.get(
                    "/members/contacts", params=params,
                    headers={"Authorization": f"Bearer {self._bearer()}"},
                )  # fmt: skip
        except httpx.HTTPError as exc:
            raise ProfilesUnavailable(detail=repr(exc)) from exc
        if r.status_code != 200:
            raise ProfilesUnavailable(detail=f"HTTP {r.status_code} {r.text[:200]}")
        body = {m["id"]: m for m in r.json()["items"]}
        now = time.monotonic()
        result: dict[str, Contact | None] = {}
        for member_id in member_ids:
            one = body.get(member_id)
            result[member_id] = None if one is None else contact_from_json(member_id, one)
            self._cache[member_id] = (now, result[member_id])
        return result

    async def _fetch(self, member_id: str) -> Contact | None:
        try:
            r = await self._client.get(
                f"/members/{member_id}", headers={"Authorization": f"Bearer {self._bearer()}"}
            )
        except httpx.HTTPError as exc:
            raise ProfilesUnavailable(detail=repr(exc)) from exc
        if r.status_code == 404:
            contact = None
        elif r.status_code == 200:
            contact = contact_from_json(member_id, r.json())
        else:
            raise ProfilesUnavailable(detail=f"HTTP {r.status_code} {r.text[:200]}")
        self._cache[member_id] = (time.monotonic(), contact)
        return contact

    async def aclose(self) -> None:
        await self._client.aclose()
