"""The coordinators' pure rules: member filters and paging, the round form, the
report next to random, and the seating plan."""

from __future__ import annotations

import doctest
import importlib
from datetime import date

import pytest

from services.portal.domain.member_filters import MemberQuery, Pager
from services.portal.domain.proposal import seating_rows, table_cards
from services.portal.domain.round_form import FIELDS, parameters_from_form

MODULES = [
    "services.portal.domain.member_filters",
    "services.portal.domain.round_form",
    "services.portal.domain.proposal",
]


@pytest.mark.parametrize("module", MODULES)
def test_every_example_in_the_module_runs(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_newcomers_are_those_who_arrived_less_than_ninety_days_ago() -> None:
    params = MemberQuery.of(newcomers="on").params(date(2026, 3, 31))
    assert params["arrived_since"] == "2025-12-31"
    assert "arrived_since" not in MemberQuery.of().params(date(2026, 3, 31))


def test_the_pager_of_ten_thousand_members_never_asks_for_more_than_one_page() -> None:
    query = MemberQuery.of(offset=9_990)
    assert query.params(date.today())["limit"] == 50
    last = Pager(10_000, 50, 9_950)
    assert (last.first, last.last, last.next, last.previous) == (9_951, 10_000, None, 9_900)


def test_every_kind_of_round_has_a_form_and_weights_are_nested_like_the_matcher_wants() -> None:
    assert set(FIELDS) == {"mentoring", "groups", "rotations"}
    params, errors = parameters_from_form(
        "mentoring", {"mode": "max_mentees", "weights.skills": "3", "min_score": ""}
    )
    assert params == {"mode": "max_mentees", "weights": {"skills": 3.0}} and not errors
    params, errors = parameters_from_form("rotations", {"table_size": "six", "rounds": "4"})
    assert params == {"rounds": 4}
    assert [(e.field, e.code) for e in errors] == [("table_size", "portal.number_invalid")]


def test_table_cards_group_attendees_by_rotation_and_table_and_the_export_is_safe() -> None:
    matches = [
        {"members": [who], "data": {"seats": [{"seminar_round": r, "table": (i + r) % 2}
                                              for r in range(2)]}}
        for i, who in enumerate(["a", "b", "c", "d"])
    ]  # fmt: skip
    cards = table_cards(matches)
    assert [(c.rotation, c.table, c.members) for c in cards] == [
        (1, 1, ("a", "c")), (1, 2, ("b", "d")), (2, 1, ("b", "d")), (2, 2, ("a", "c")),
    ]  # fmt: skip
    rows = seating_rows(cards[:1], {"a": "+Anne", "c": "Chloé"}, {"a": "Lyon"})
    assert rows == [[1, 1, "'+Anne", "Lyon", "a"], [1, 1, "Chloé", "", "c"]]
