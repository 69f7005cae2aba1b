"""The name picker of the round adjustments, with a fake profiles: names, parts of
names, suggestions and ids resolve to one member, or the form says who could be meant."""

from __future__ import annotations

import doctest
from typing import Any

import pytest

import services.portal.domain.picker as picker_module
from services.portal.domain.errors import Refused
from services.portal.service_layer.adjustments import adjustment_from_form, options

PEOPLE = [
    {"id": "m1", "display_name": "Camille Martin", "site": "Lyon"},
    {"id": "m2", "display_name": "Camille Martinez", "site": "Paris"},
    {"id": "m3", "display_name": "Noé Durand", "site": None},
]


class FakeCoordination:
    def __init__(self) -> None:
        self.asked: list[str] = []

    async def names_by_id(self, ids: Any) -> dict[str, dict[str, Any]]:
        return {p["id"]: p for p in PEOPLE if p["id"] in set(ids)}  # type: ignore[misc]

    async def find_names(self, text: str, limit: int) -> list[dict[str, Any]]:
        self.asked.append(text)
        found = [p for p in PEOPLE if text.lower() in str(p["display_name"]).lower()]
        return found[:limit]


async def _adjust(**form: str) -> dict[str, Any]:
    return await adjustment_from_form(FakeCoordination(), form)  # type: ignore[arg-type]


def test_the_examples_of_the_picker_module_run() -> None:
    result = doctest.testmod(picker_module)
    assert result.attempted > 0 and result.failed == 0


async def test_an_id_a_suggestion_an_exact_name_or_a_unique_part_each_pick_one_member() -> None:
    swap = await _adjust(action="swap", member_a="m3", member_b="Camille Martin — Lyon (m1)")
    assert swap == {"action": "swap", "member_a": "m3", "member_b": "m1"}
    assert (await _adjust(action="remove", member_id="  camille   martin "))["member_id"] == "m1"
    assigned = await _adjust(action="assign", mentee_id="durand", mentor_id="Martinez")
    assert assigned == {"action": "assign", "mentee_id": "m3", "mentor_id": "m2"}


async def test_an_ambiguous_and_an_unknown_name_refuse_the_form_field_by_field() -> None:
    with pytest.raises(Refused) as refused:
        await _adjust(action="swap", member_a="Camille", member_b="Zoé")
    errors = refused.value.by_field()
    assert [e.code for e in errors["member_a"]] == ["portal.picker_ambiguous"]
    listed = errors["member_a"][0].params["candidates"]
    assert listed == "Camille Martin — Lyon (m1) ; Camille Martinez — Paris (m2)"
    assert [e.code for e in errors["member_b"]] == ["portal.picker_unknown"]
    assert refused.value.status == 422


async def test_a_match_id_and_an_empty_field_are_left_to_the_matcher() -> None:
    fake = FakeCoordination()
    locked = await adjustment_from_form(fake, {"action": "lock", "match_id": "g-1"})  # type: ignore[arg-type]
    empty = await adjustment_from_form(fake, {"action": "swap", "member_a": ""})  # type: ignore[arg-type]
    assert locked == {"action": "lock", "match_id": "g-1"} and fake.asked == []
    assert empty == {"action": "swap", "member_a": "", "member_b": ""}


def test_the_page_lists_its_members_by_name_without_javascript() -> None:
    assert options({"m2": "Éric", "m1": "alice"}) == ["alice (m1)", "Éric (m2)"]
