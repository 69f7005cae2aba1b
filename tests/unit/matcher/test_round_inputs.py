"""A round's inputs index everyone by id once (issue 14: a 10,000-member groups round
rebuilt that index for every member it explained, ~20 s of CPU)."""

from __future__ import annotations

from services.matcher.algorithms.model import Person
from services.matcher.domain.kinds.base import Inputs, ProposedMatch
from services.matcher.domain.kinds.groups import _annotate
from services.matcher.domain.parameters import GroupsParameters


def test_everyone_by_id_is_built_once_per_round_inputs() -> None:
    people = [Person(m, "Lyon") for m in ("a", "b")]
    inputs = Inputs(people, people, set(), GroupsParameters())
    assert inputs.by_id is inputs.by_id
    assert inputs.by_id == {"a": people[0], "b": people[1]}


def test_explaining_a_thousand_groups_builds_the_index_once() -> None:
    built = 0

    class Counting(list[Person]):
        def __iter__(self):  # type: ignore[no-untyped-def]
            nonlocal built
            built += 1
            return super().__iter__()

    people = Counting(Person(str(i), "PL"[i % 2]) for i in range(10_000))
    inputs = Inputs(list(people), people, set(), GroupsParameters())
    groups = [
        ProposedMatch(tuple(str(i) for i in range(g, g + 10)), {}) for g in range(0, 10_000, 10)
    ]
    built = 0
    _annotate({"quality": {}}, groups, inputs)
    assert built == 1
    assert groups[0].data["sites"] == ["L", "P"]
