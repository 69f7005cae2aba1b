"""The calls of the coordinators' pages, made as the signed-in coordinator.

The token is minted for the coordinator's own subject and roles (like every page's
calls, see :class:`services.portal.adapters.services.Person`); nothing here uses the
service token. A refusal a coordinator can act on (409, 422) becomes
:class:`Refused` with the problem's detail, field errors and report; other errors are
mapped as for the member pages.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

import httpx

from services.portal.adapters.services import PERSON_TOKEN_TTL_S, Services, _checked
from services.portal.domain.errors import Refused, ServiceUnavailable
from services.portal.domain.session import SessionUser
from shared.errors import FieldError

#: The most ids profiles takes in one list call (its ``limit`` bound too).
IDS_PER_CALL = 500


def _refused(response: httpx.Response, field: Any = str) -> Refused:
    body = response.json() if response.content else {}
    errors = [
        FieldError(field(str(e.get("field", ""))), "portal.upstream_field",
                   {"message": str(e.get("message", ""))})
        for e in body.get("errors", []) or []
    ]  # fmt: skip
    return Refused(response.status_code, str(body.get("detail") or body.get("title") or ""),
                   errors, body.get("report"))  # fmt: skip


class Coordination:
    """One page's calls to profiles, matcher and notifier as a coordinator."""

    def __init__(self, services: Services, user: SessionUser, language: str) -> None:
        self.s = services
        token = services.mint(user.member_id, user.roles, PERSON_TOKEN_TTL_S)
        self._headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}

    async def _send(self, client: httpx.AsyncClient, method: str, url: str,
                    field: Any = str, **kw: Any) -> httpx.Response:  # fmt: skip
        try:
            response = await client.request(method, url, headers=self._headers, **kw)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(status=0) from exc
        if response.status_code in (409, 422):
            raise _refused(response, field)
        return _checked(response)

    async def _json(self, client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> Any:
        return (await self._send(client, method, url, **kw)).json()

    # Profiles: members, import, catalogues.
    async def members(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._json(self.s.profiles, "GET", "/members", params=params)  # type: ignore[no-any-return]

    async def member(self, member_id: str) -> dict[str, Any]:
        return await self._json(self.s.profiles, "GET", f"/members/{member_id}")  # type: ignore[no-any-return]

    async def deactivate(self, member_id: str, left_on: str) -> dict[str, Any]:
        """Mark the member as having left on ``left_on`` (profiles: blank means today)."""
        body = {"left_on": left_on} if left_on else {}
        return await self._json(self.s.profiles, "POST", f"/members/{member_id}/deactivation",  # type: ignore[no-any-return]
                                json=body)  # fmt: skip

    async def names_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Id, display name and site of the members with these ids (unknown ones left
        out): profiles' ``/members/names``, calls of 500 ids at once."""
        wanted = sorted(set(ids))
        chunks = [wanted[i : i + IDS_PER_CALL] for i in range(0, len(wanted), IDS_PER_CALL)]
        pages = await asyncio.gather(*(
            self._json(self.s.profiles, "GET", "/members/names",
                       params={"id": chunk, "limit": IDS_PER_CALL})
            for chunk in chunks
        ))  # fmt: skip
        return {m["id"]: m for page in pages for m in page["items"]}

    async def find_names(self, text: str, limit: int) -> list[dict[str, Any]]:
        """Id, name and site of the first members whose name contains ``text``."""
        page = await self._json(self.s.profiles, "GET", "/members/names",
                                params={"name": text[:120], "limit": limit})  # fmt: skip
        return list(page["items"])

    async def import_members(self, name: str, content: bytes, mode: str) -> dict[str, Any]:
        files = {"file": (name or "membres.csv", content, "text/csv")}
        return await self._json(self.s.profiles, "POST", "/members/import",  # type: ignore[no-any-return]
                                params={"mode": mode}, files=files)  # fmt: skip

    async def download(self, path: str) -> httpx.Response:
        return await self._send(self.s.profiles, "GET", path)

    async def catalogue(self, which: str, limit: int, offset: int) -> dict[str, Any]:
        params = {"limit": limit, "offset": offset}
        return await self._json(self.s.profiles, "GET", f"/{which}", params=params)  # type: ignore[no-any-return]

    async def create_entry(self, which: str, body: dict[str, Any]) -> None:
        try:
            await self._send(self.s.profiles, "POST", f"/{which}", json=body)
        finally:
            self.s.skills.drop()  # the member pages read the catalogue afresh

    async def update_entry(self, which: str, code: str, body: dict[str, Any]) -> None:
        try:
            await self._send(self.s.profiles, "PATCH", f"/{which}/{code}", json=body)
        finally:
            self.s.skills.drop()

    async def import_entries(self, which: str, name: str, content: bytes) -> dict[str, Any]:
        files = {"file": (name or f"{which}.csv", content, "text/csv")}
        try:
            return await self._json(self.s.profiles, "POST", f"/{which}/import", files=files)  # type: ignore[no-any-return]
        finally:
            self.s.skills.drop()

    # Matcher: rounds, reports, matches, adjustments.
    async def rounds(self, limit: int, offset: int) -> dict[str, Any]:
        params = {"limit": limit, "offset": offset}
        return await self._json(self.s.matcher, "GET", "/rounds", params=params)  # type: ignore[no-any-return]

    async def create_round(self, body: dict[str, Any], field: Any) -> dict[str, Any]:
        return await self._json(self.s.matcher, "POST", "/rounds", json=body, field=field)  # type: ignore[no-any-return]

    async def round(self, round_id: str) -> dict[str, Any]:
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}")  # type: ignore[no-any-return]

    async def report(self, round_id: str) -> dict[str, Any]:
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}/report")  # type: ignore[no-any-return]

    async def answers(self, round_id: str, match_ids: list[str]) -> dict[str, Any]:
        """Accepted, declined, pending and unanswered: overall, and for these matches."""
        params = {"match_id": match_ids}
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}/answers",  # type: ignore[no-any-return]
                                params=params)  # fmt: skip

    async def matches(self, round_id: str, limit: int, offset: int) -> dict[str, Any]:
        params = {"limit": limit, "offset": offset}
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}/matches",  # type: ignore[no-any-return]
                                params=params)  # fmt: skip

    async def all_matches(self, round_id: str) -> list[dict[str, Any]]:
        """Every match of a round as stored (ids and data, no explanation in words), in
        one call: the matcher's export, not its pages of 500 rendered matches."""
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}/export")  # type: ignore[no-any-return]

    async def tables(self, round_id: str, seminar_round: int | None, limit: int,
                     offset: int) -> dict[str, Any]:  # fmt: skip
        """One page of a seminar round's tables with who sits at each (the matcher reads
        only those tables' seats)."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if seminar_round is not None:
            params["seminar_round"] = seminar_round
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}/tables",  # type: ignore[no-any-return]
                                params=params)  # fmt: skip

    async def adjust(self, round_id: str, adjustment: dict[str, Any]) -> dict[str, Any]:
        return await self._json(self.s.matcher, "POST", f"/rounds/{round_id}/adjustments",  # type: ignore[no-any-return]
                                json={"adjustment": adjustment})  # fmt: skip

    async def publish(self, round_id: str) -> dict[str, Any]:
        return await self._json(self.s.matcher, "POST", f"/rounds/{round_id}/publish")  # type: ignore[no-any-return]

    async def repair(self, round_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Repair a published round (who left; the matcher keeps every other match)."""
        return await self._json(self.s.matcher, "POST", f"/rounds/{round_id}/repair",  # type: ignore[no-any-return]
                                json=body)  # fmt: skip

    async def repairs(self, round_id: str) -> dict[str, Any]:
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}/repairs")  # type: ignore[no-any-return]

    # Matcher: a match's course, its closing, the closing surveys (issue 12).
    async def round_feedback(self, round_id: str, limit: int, offset: int) -> dict[str, Any]:
        """One page of the round's closing surveys, comments included (HR only)."""
        params = {"limit": limit, "offset": offset}
        return await self._json(self.s.matcher, "GET", f"/rounds/{round_id}/feedback",  # type: ignore[no-any-return]
                                params=params)  # fmt: skip

    async def course(self, match_id: str) -> dict[str, Any]:
        return await self._json(self.s.matcher, "GET", f"/matches/{match_id}/course")  # type: ignore[no-any-return]

    async def close(self, match_id: str) -> dict[str, Any]:
        """Close the match now (the matcher surveys its people; closing twice is a no-op)."""
        return await self._json(self.s.matcher, "POST", f"/matches/{match_id}/close")  # type: ignore[no-any-return]

    # Notifier: the delivery log.
    async def deliveries(self, round_id: str, limit: int, offset: int) -> dict[str, Any]:
        params = {"limit": limit, "offset": offset}
        return await self._json(self.s.notifier, "GET", f"/rounds/{round_id}/deliveries",  # type: ignore[no-any-return]
                                params=params)  # fmt: skip

    # Matcher: the network's health (issue 12).
    async def health(self, params: dict[str, str]) -> dict[str, Any]:
        return await self._json(self.s.matcher, "GET", "/health", params=params)  # type: ignore[no-any-return]

    async def health_network(self, params: dict[str, str]) -> dict[str, Any]:
        return await self._json(self.s.matcher, "GET", "/health/network", params=params)  # type: ignore[no-any-return]

    async def health_csv(self, params: dict[str, str]) -> httpx.Response:
        return await self._send(self.s.matcher, "GET", "/health.csv", params=params)
