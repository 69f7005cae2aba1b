"""Who a round may match: never again a member HR deactivated (``left_on``)."""

from __future__ import annotations

from datetime import date

from services.matcher.domain.people import in_scope, population
from shared.events import MatchingProfile, OptIns, RoundScope

TODAY = date(2026, 11, 28)


def profile(**changes: object) -> MatchingProfile:
    base = MatchingProfile(site="Lyon", opt_ins=OptIns(mentee=True, groups=True))
    return base.model_copy(update=changes)


def test_a_member_who_left_the_company_is_never_in_scope_again() -> None:
    assert in_scope(profile(), RoundScope(), "groups", TODAY)
    assert not in_scope(profile(left_on=date(2026, 11, 2)), RoundScope(), "groups", TODAY)
    assert not in_scope(profile(left_on=date(2030, 1, 1)), RoundScope(), "mentoring", TODAY)


def test_the_population_keeps_a_member_who_left_among_everyone_but_not_among_the_chosen() -> None:
    rows = [("stays", profile().model_dump(mode="json")),
            ("left", profile(left_on=TODAY).model_dump(mode="json"))]  # fmt: skip
    chosen, everyone = population(rows, RoundScope(), "groups", TODAY, newcomer_months=6)
    assert [p.id for p in chosen] == ["stays"]
    assert sorted(p.id for p in everyone) == ["left", "stays"]
