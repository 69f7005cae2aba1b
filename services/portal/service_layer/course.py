"""« Mon groupe » (a group's sessions, for its facilitator to record) and the closing survey.

Reading either page changes nothing; only their POST forms record a session or answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.portal.adapters.services import Person
from services.portal.domain.course_forms import feedback_from_form, session_from_form
from services.portal.domain.partners import course_people


@dataclass(frozen=True, slots=True)
class GroupPage:
    course: dict[str, Any]
    names: dict[str, str]
    facilitator: bool  # the signed-in person records its sessions


async def group(person: Person, match_id: str, me: str) -> GroupPage:
    course = await person.match_course(match_id)
    people = course_people(course)
    names = await person.names(people)
    return GroupPage(course, {p: names.get(p, p) for p in people},
                     course.get("facilitator_id") == me)  # fmt: skip


async def record(person: Person, match_id: str, day: str, came: list[str]) -> None:
    course = await person.match_course(match_id)
    people = [*course["member_ids"], course.get("facilitator_id") or ""]
    await person.record_session(match_id, session_from_form(day, came, people))


async def survey(person: Person, match_id: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The match's course and my survey (``None``: not asked yet)."""
    return await person.match_course(match_id), await person.my_feedback(match_id)


async def answer(person: Person, match_id: str, form: dict[str, str]) -> None:
    await person.give_feedback(match_id, feedback_from_form(form))
