"""From projection rows to the algorithms' plain :class:`Person` values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from services.matcher.algorithms.model import Person
from shared.events import MatchingProfile, RoundScope

OPT_IN = {"mentoring": ("mentor", "mentee"), "groups": ("groups",), "rotations": ("seminars",)}


def to_person(
    member_id: str, profile: MatchingProfile, today: date, newcomer_months: int
) -> Person:
    """Seniority in years from the start date; newcomer if it is within ``newcomer_months``."""
    years = max(0.0, (today - profile.start_date).days / 365.25) if profile.start_date else 0.0
    opt = profile.opt_ins
    return Person(
        id=member_id,
        site=profile.site,
        function=profile.function,
        department=profile.department,
        manager_id=profile.manager_id,
        team=profile.team or None,
        management_line=tuple(profile.management_line),
        languages=frozenset(profile.languages),
        skills=dict(profile.skills),
        skills_wanted=frozenset(profile.skills_wanted),
        themes=frozenset(profile.themes),
        seniority_years=round(years, 3),
        newcomer=profile.start_date is not None and years * 12 < newcomer_months,
        mentor_capacity=opt.mentor_capacity if opt.mentor else 0,
        mentee=opt.mentee,
        groups=opt.groups,
        seminars=opt.seminars,
        facilitator=opt.facilitator,
    )


def in_scope(profile: MatchingProfile, scope: RoundScope, kind: str, today: date) -> bool:
    """Within the round's sites and functions, opted in to the format, not paused, and
    still in the company."""
    if scope.sites and profile.site not in scope.sites:
        return False
    if scope.functions and profile.function not in scope.functions:
        return False
    if profile.paused_until is not None and profile.paused_until > today:
        return False
    if profile.left_on is not None:  # HR deactivated them: they left the company
        return False
    return any(getattr(profile.opt_ins, flag) for flag in OPT_IN[kind])


def population(
    rows: Iterable[tuple[str, Mapping[str, Any]]],
    scope: RoundScope,
    kind: str,
    today: date,
    newcomer_months: int,
) -> tuple[list[Person], list[Person]]:
    """(people in scope for ``kind``, everyone) from ``(member_id, profile json)`` rows."""
    everyone: list[Person] = []
    chosen: list[Person] = []
    for member_id, raw in rows:
        profile = MatchingProfile.model_validate(raw)
        person = to_person(member_id, profile, today, newcomer_months)
        everyone.append(person)
        if in_scope(profile, scope, kind, today):
            chosen.append(person)
    return chosen, everyone
