"""A group's themes are reasons one code each, so each gets its catalogue label (issue 10)."""

from __future__ import annotations

from services.matcher.algorithms.model import Person
from services.matcher.domain.kinds.base import Inputs, ProposedMatch
from services.matcher.domain.kinds.groups import _annotate
from services.matcher.domain.parameters import GroupsParameters


def test_a_group_of_two_themes_gives_one_theme_reason_per_theme_code() -> None:
    people = [Person(m, "Lyon" if m == "a" else "Lille") for m in ("a", "b", "c")]
    inputs = Inputs(people, people, set(), GroupsParameters())
    match = ProposedMatch(("a", "b", "c"), {"theme": "relation_client / budget"})
    _annotate({"quality": {}}, [match], inputs)
    reasons = match.data["explanation"]["reasons"]
    assert reasons == ["theme:relation_client", "theme:budget", "sites:2"]
