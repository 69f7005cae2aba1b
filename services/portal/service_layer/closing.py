"""The coordinators' end of a match: the round's closing surveys (comments included,
HR only) and closing a mentorship or a group before its end.

Closing is confirmed on a page first (GET shows, POST acts). The matcher closes a match
once and answers a second close with the match unchanged, so the portal reads the
course before closing to tell the coordinator which of the two happened.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Final, Literal

from services.portal.adapters.coordination import Coordination
from services.portal.domain.member_filters import PAGE_SIZE, Pager
from services.portal.domain.partners import course_people

#: What a closing did, as the confirmation page tells it after the POST.
CloseOutcome = Literal["closed", "already"]
OUTCOMES: Final = ("closed", "already")


@dataclass(frozen=True, slots=True)
class FeedbackPage:
    round: dict[str, Any]
    items: list[dict[str, Any]]
    names: dict[str, str]
    pager: Pager


@dataclass(frozen=True, slots=True)
class ClosePage:
    course: dict[str, Any]
    people: list[str]  # everyone of the match, a group's facilitator too, each once
    names: dict[str, str]


async def _names(c: Coordination, ids: set[str]) -> dict[str, str]:
    found = await c.names_by_id(ids) if ids else {}
    return {i: str(p.get("display_name") or i) for i, p in found.items()}


async def feedback_page(c: Coordination, round_id: str, offset: int) -> FeedbackPage:
    """One page (:data:`PAGE_SIZE` surveys) of a round's closing surveys, with names."""
    found, page = await asyncio.gather(
        c.round(round_id), c.round_feedback(round_id, PAGE_SIZE, max(0, offset))
    )
    names = await _names(c, {f["member_id"] for f in page["items"]})
    return FeedbackPage(found, page["items"], names,
                        Pager(page["total"], page["limit"], page["offset"]))  # fmt: skip


async def close_page(c: Coordination, match_id: str) -> ClosePage:
    """The match's course and its people's names, for the confirmation page."""
    course = await c.course(match_id)
    people = course_people(course)
    return ClosePage(course, people, await _names(c, set(people)))


async def close(c: Coordination, match_id: str) -> CloseOutcome:
    """Close the match, or say it already was (a second click changes nothing)."""
    if (await c.course(match_id)).get("closed_at"):
        return "already"
    await c.close(match_id)
    return "closed"
