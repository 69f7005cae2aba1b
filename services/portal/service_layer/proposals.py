"""The "Ma proposition" page: one published match of the member, who else is in it,
their answer and check-in.

Reading the page changes nothing (a mail scanner following the link from the
announcement only reads it); only the page's POST forms answer. The match is looked up
among the member's own (the matcher answers as them): anyone else's is a 404, and only
then are its people named.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from services.portal.adapters.services import Person
from services.portal.domain.errors import PageNotFound, ServiceUnavailable
from services.portal.domain.partners import Partner, others_in, partners
from services.portal.domain.proposal_answer import answer_from_form, checkin_from_form


@dataclass(frozen=True, slots=True)
class ProposalPage:
    match: dict[str, Any]
    life: dict[str, Any] | None  # None: a seminar seat, neither accepted nor declined
    partners: list[Partner] | None  # None: profiles could not name them just now


async def _partners(person: Person, match: dict[str, Any], me: str) -> list[Partner] | None:
    """The match's other people; ``None`` while profiles is unreachable, so that the
    member can still read why and answer (the names are back on the next visit)."""
    try:
        return partners(match, me, await person.people(others_in(match, me)))
    except ServiceUnavailable:
        return None


async def page(person: Person, match_id: str, me: str) -> ProposalPage:
    matches, life = await asyncio.gather(
        person.my_matches(), person.match_life(match_id), return_exceptions=True
    )
    if isinstance(matches, BaseException):
        raise matches
    found = next((m for m in matches if m["id"] == match_id), None)
    if found is None:
        raise PageNotFound()
    people = await _partners(person, found, me)
    if isinstance(life, BaseException):
        if not (isinstance(life, ServiceUnavailable) and life.params.get("status") == 409):
            raise life  # 409 is a seminar seat: not answered; anything else is a real fault
        return ProposalPage(found, None, people)
    return ProposalPage(found, life, people)


async def answer(person: Person, match_id: str, form: dict[str, str]) -> None:
    await person.answer_match(match_id, answer_from_form(form))


async def check_in(person: Person, match_id: str, form: dict[str, str]) -> None:
    await person.check_in(match_id, checkin_from_form(form))
