"""The portal's HTTP clients of profiles, matcher and notifier.

Every call for a page is made **as the signed-in person**: :class:`Services.as_person`
gives a client whose token is minted for that person's member id and roles, valid
for a minute. The service token is used only for the narrow calls of sign-in
(:meth:`Services.lookup_member`, :meth:`Services.member_by_id`,
:meth:`Services.send_sign_in_link`), and to name the people of a match on its member's
pages (:meth:`Person.names`, :meth:`Person.people`: names, sites and functions only,
once the matcher, asked as the person, showed the match to them).
Errors become portal errors: 404 -> :class:`PageNotFound`, a 422 with ``errors[]``
-> :class:`ProfileRejected`, network errors and 5xx -> :class:`ServiceUnavailable`.

The clients are made once per app and keep their connections. The skills catalogue,
which every profile page needs and which changes rarely, is kept for
:data:`CATALOGUE_TTL_S` (:class:`KeptCatalogue`); the portal's own catalogue edits drop
it at once, edits made elsewhere (HR's tools on profiles' API) show within that time.
Every signed-in person may read the catalogue, so sharing it gives nobody more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from services.portal.domain.errors import (
    CoordinatorsOnly,
    NotSignedIn,
    PageNotFound,
    ProfileRejected,
    Refused,
    ServiceUnavailable,
)
from services.portal.domain.partners import shown
from services.portal.domain.profile_form import form_field
from services.portal.domain.session import SessionUser
from shared import correlation
from shared.errors import FieldError

#: Lifetime of the token minted for one page's calls.
PERSON_TOKEN_TTL_S = 60
Mint = Callable[[str, tuple[str, ...], int], str]
#: How long the skills catalogue is kept before profiles is asked again.
CATALOGUE_TTL_S = 60.0
#: The most ids profiles' ``/members/by-id`` takes in one call (a match has far fewer).
MAX_IDS = 500


def _checked(response: httpx.Response) -> httpx.Response:
    status = response.status_code
    if status < 400:
        return response
    if status == 401:
        raise NotSignedIn()
    if status == 403:
        raise CoordinatorsOnly()
    if status == 404:
        raise PageNotFound()
    if status == 422:
        body = response.json() if response.content else {}
        errors = [
            FieldError(form_field(str(e.get("field", ""))), "portal.upstream_field",
                       {"message": str(e.get("message", ""))})
            for e in body.get("errors", [])
        ]  # fmt: skip
        raise ProfileRejected(
            errors or [FieldError("", "portal.upstream_field", {"message": body.get("detail", "")})]
        )
    raise ServiceUnavailable(status=status)


class KeptCatalogue:
    """The skills catalogue as last read, for ``ttl_s`` seconds.

    >>> now = [0.0]
    >>> kept = KeptCatalogue(60, clock=lambda: now[0])
    >>> kept.get() is None
    True
    >>> kept.put([{"code": "excel"}]); kept.get()
    [{'code': 'excel'}]
    >>> now[0] = 61.0; kept.get() is None
    True
    >>> kept.put([]); kept.drop(); kept.get() is None
    True
    """

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._items: list[dict[str, Any]] | None = None
        self._until = 0.0

    def get(self) -> list[dict[str, Any]] | None:
        if self._items is None or self._clock() >= self._until:
            return None
        return list(self._items)

    def put(self, items: list[dict[str, Any]]) -> None:
        self._items, self._until = list(items), self._clock() + self._ttl_s

    def drop(self) -> None:
        self._items = None


class Person:
    """Calls made as one signed-in person, in their language."""

    def __init__(self, services: Services, user: SessionUser, language: str) -> None:
        self._services = services
        token = services.mint(user.member_id, user.roles, PERSON_TOKEN_TTL_S)
        self._headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}

    async def _call(self, client: httpx.AsyncClient, method: str, url: str, **kw: Any) -> Any:
        try:
            response = await client.request(method, url, headers=self._headers, **kw)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(status=0) from exc
        _checked(response)
        return response.json() if response.content else None

    async def me(self) -> dict[str, Any]:
        return await self._call(self._services.profiles, "GET", "/me")  # type: ignore[no-any-return]

    async def update_me(self, changes: dict[str, Any]) -> dict[str, Any]:
        return await self._call(self._services.profiles, "PATCH", "/me", json=changes)  # type: ignore[no-any-return]

    async def export_me(self) -> dict[str, Any]:
        return await self._call(self._services.profiles, "GET", "/me/export")  # type: ignore[no-any-return]

    async def erase_me(self) -> None:
        await self._call(self._services.profiles, "DELETE", "/me")

    async def skills(self) -> list[dict[str, Any]]:
        """The skills catalogue (kept a short while, see :class:`KeptCatalogue`)."""
        kept = self._services.skills.get()
        if kept is not None:
            return kept
        page = await self._call(self._services.profiles, "GET", "/skills", params={"limit": 500})
        self._services.skills.put(page["items"])
        return list(page["items"])

    async def my_matches(self) -> list[dict[str, Any]]:
        page = await self._call(self._services.matcher, "GET", "/me/matches",
                                params={"limit": 100})  # fmt: skip
        return list(page["items"])

    async def match_life(self, match_id: str) -> dict[str, Any]:
        """My part in a published match: answer, deadline, check-in (matcher)."""
        return await self._call(self._services.matcher, "GET", f"/me/matches/{match_id}/life")  # type: ignore[no-any-return]

    async def answer_match(self, match_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """Accept or decline; the matcher's refusal (409) comes back as :class:`Refused`."""
        return await self._refusable(f"/me/matches/{match_id}/answer", body)

    async def check_in(self, match_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._refusable(f"/me/matches/{match_id}/checkin", body)

    async def match_course(self, match_id: str) -> dict[str, Any]:
        """A match's course: dates, a group's rhythm and sessions, its closing (matcher)."""
        return await self._call(self._services.matcher, "GET", f"/me/matches/{match_id}/course")  # type: ignore[no-any-return]

    async def record_session(self, match_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._refusable(f"/me/matches/{match_id}/sessions", body)

    async def my_feedback(self, match_id: str) -> dict[str, Any] | None:
        """My closing survey, ``None`` until it is asked."""
        found = await self._call(self._services.matcher, "GET", f"/me/matches/{match_id}/feedback")
        return found[0] if found else None

    async def give_feedback(self, match_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._refusable(f"/me/matches/{match_id}/feedback", body)

    async def names(self, member_ids: list[str]) -> dict[str, str]:
        """Display names of a group's people (an erased one keeps no name)."""
        found = await self._services.people_by_id(member_ids)
        return {m: p["display_name"] or m for m, p in found.items()}

    async def people(self, member_ids: list[str]) -> dict[str, dict[str, str]]:
        """Name, site and function of the people of a match the matcher showed to this
        person (see :meth:`Services.people_by_id`)."""
        return await self._services.people_by_id(member_ids)

    async def _refusable(self, url: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            r = await self._services.matcher.post(url, json=body, headers=self._headers)
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(status=0) from exc
        if r.status_code in (409, 422):
            problem = r.json() if r.content else {}
            raise Refused(r.status_code, str(problem.get("detail") or ""), [])
        return _checked(r).json()  # type: ignore[no-any-return]

    async def inbox(self) -> list[dict[str, Any]]:
        page = await self._call(self._services.notifier, "GET", "/inbox", params={"limit": 100})
        return list(page["items"])

    async def mark_read(self, entry_id: str) -> None:
        await self._call(self._services.notifier, "POST", f"/inbox/{entry_id}/read")


class Services:
    """One HTTP client per service, built in the portal's lifespan."""

    def __init__(
        self,
        mint: Mint,
        profiles_url: str,
        matcher_url: str,
        notifier_url: str,
        service_name: str,
        timeout_s: float = 10.0,
        catalogue_ttl_s: float = CATALOGUE_TTL_S,
    ) -> None:
        self.mint = mint
        self.service_name = service_name
        self.skills = KeptCatalogue(catalogue_ttl_s)
        hooks = correlation.FORWARD  # a page and the calls it makes share one id
        self.profiles = httpx.AsyncClient(base_url=profiles_url, timeout=timeout_s,
                                          event_hooks=hooks)  # fmt: skip
        self.matcher = httpx.AsyncClient(base_url=matcher_url, timeout=timeout_s,
                                         event_hooks=hooks)  # fmt: skip
        self.notifier = httpx.AsyncClient(base_url=notifier_url, timeout=timeout_s,
                                          event_hooks=hooks)  # fmt: skip

    def as_person(self, user: SessionUser, language: str) -> Person:
        return Person(self, user, language)

    def _service_headers(self) -> dict[str, str]:
        token = self.mint(self.service_name, ("service",), PERSON_TOKEN_TTL_S)
        return {"Authorization": f"Bearer {token}"}

    async def lookup_member(
        self, *, email: str | None = None, external_id: str | None = None
    ) -> dict[str, Any] | None:
        """The member with this e-mail or HR external id (profiles' ``/members/lookup``),
        or ``None``."""
        key = {"email": email} if email else {"external_id": external_id or ""}
        try:
            r = await self.profiles.get(
                "/members/lookup", params=key, headers=self._service_headers()
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(status=0) from exc
        if r.status_code == 404:
            return None
        return _checked(r).json()  # type: ignore[no-any-return]

    async def member_by_id(self, member_id: str) -> dict[str, Any] | None:
        """The member with this id (profiles' ``GET /members/{id}``), ``None`` if erased."""
        try:
            r = await self.profiles.get(f"/members/{member_id}", headers=self._service_headers())
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(status=0) from exc
        if r.status_code == 404:
            return None
        return _checked(r).json()  # type: ignore[no-any-return]

    async def people_by_id(self, member_ids: list[str]) -> dict[str, dict[str, str]]:
        """Name, site and function of these members (profiles' ``GET /members/by-id``,
        one call of at most 500 ids; erased ones left out), everything else of their
        profiles (addresses, HR data) dropped here, before any page sees it.

        Called with the service token, since profiles shows members only to themselves:
        only for people the matcher has just shown to the signed-in person in one of
        their own matches.
        """
        wanted = list(dict.fromkeys(member_ids))[:MAX_IDS]
        if not wanted:
            return {}
        try:
            r = await self.profiles.get("/members/by-id", headers=self._service_headers(),
                                        params={"id": wanted, "limit": MAX_IDS})  # fmt: skip
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(status=0) from exc
        return {str(p["id"]): shown(p) for p in _checked(r).json()["items"]}

    async def send_sign_in_link(self, email: str, language: str, link: str, minutes: int) -> None:
        body = {"email": email, "language": language, "link": link, "expires_minutes": minutes}
        try:
            r = await self.notifier.post(
                "/messages/sign-in-link", json=body, headers=self._service_headers()
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(status=0) from exc
        _checked(r)

    async def aclose(self) -> None:
        for client in (self.profiles, self.matcher, self.notifier):
            await client.aclose()
