"""Skill and theme labels from the profiles catalogue, for services that show them.

The profiles service owns the catalogues (``GET /skills`` and ``GET /themes``: code,
French label, English label). Services that render reasons in words (the matcher's explanations, the
notifier's e-mails) keep a copy refreshed at most every ``ttl_s`` seconds; a code the
catalogue does not know (or while profiles cannot be reached) is shown humanised,
never dropped. There is no second hard-coded list of labels.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import httpx

from shared import correlation
from shared.vocabulary.explain import humanise
from shared.vocabulary.i18n import Language

log = logging.getLogger("entraide.catalogue")
PAGE = 500


class CatalogueLabels:
    """Labels by code and language, fetched from profiles with a service token."""

    def __init__(
        self,
        base_url: str,
        mint: Callable[[int], str],
        ttl_s: float = 300.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(
            base_url=base_url, timeout=5.0, transport=transport, event_hooks=correlation.FORWARD
        )
        self._mint = mint
        self._ttl_s = ttl_s
        self._labels: dict[str, dict[Language, str]] = {}
        self._fetched_at = float("-inf")

    def label(self, code: str, language: Language) -> str:
        """The label of ``code`` (from the last refresh), or the code humanised."""
        known = self._labels.get(code)
        return (known.get(language) or known["fr"]) if known else humanise(code)

    async def refresh(self, force: bool = False) -> None:
        """Fetch the catalogue again when the copy is older than ``ttl_s`` (or ``force``)."""
        if not force and time.monotonic() - self._fetched_at < self._ttl_s:
            return
        try:
            # Themes first: a skill and a theme sharing a code show the skill's label.
            items = [*await self._fetch_all("/themes", optional=True)]
            items += await self._fetch_all("/skills")
            labels: dict[str, dict[Language, str]] = {
                str(item["code"]): {
                    "fr": str(item.get("label") or item["code"]),
                    "en": str(item.get("label_en") or item.get("label") or item["code"]),
                }
                for item in items
            }
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            log.warning("catalogue not refreshed (labels stay as they were): %r", exc)
            return
        self._labels = labels
        self._fetched_at = time.monotonic()

    async def _fetch_all(self, path: str, optional: bool = False) -> list[dict[str, Any]]:
        """Every entry of one catalogue; ``optional``: a profiles without it gives none."""
        headers = {"Authorization": f"Bearer {self._mint(300)}"}
        items: list[dict[str, Any]] = []
        offset = 0
        while True:
            r = await self._client.get(
                path, params={"limit": PAGE, "offset": offset}, headers=headers
            )
            if optional and r.status_code == 404:
                return []
            r.raise_for_status()
            body = r.json()
            if isinstance(body, list):  # a profiles service from before pagination
                return body
            items.extend(body["items"])
            offset += PAGE
            if offset >= int(body["total"]) or not body["items"]:
                return items

    async def aclose(self) -> None:
        await self._client.aclose()
