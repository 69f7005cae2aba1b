"""The answer forms of « Ma proposition »: only known choices reach the matcher."""

from __future__ import annotations

import doctest

import pytest

from services.portal.domain import proposal_answer
from services.portal.domain.proposal_answer import (
    AnswerFormInvalid,
    answer_from_form,
    checkin_from_form,
)


def test_the_examples_of_the_forms_run() -> None:
    result = doctest.testmod(proposal_answer)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    "form",
    [{}, {"decision": "decline"}, {"decision": "decline", "reason": "bored"},
     {"decision": "maybe"}],
)  # fmt: skip
def test_a_decline_without_a_known_reason_or_an_unknown_decision_is_refused(form: dict) -> None:
    with pytest.raises(AnswerFormInvalid):
        answer_from_form(form)


def test_a_check_in_needs_both_answers_from_the_known_choices() -> None:
    with pytest.raises(AnswerFormInvalid):
        checkin_from_form({"met": "yes"})
    with pytest.raises(AnswerFormInvalid):
        checkin_from_form({"met": "perhaps", "fit": "good"})
    assert checkin_from_form({"met": "no", "fit": "not_a_fit"}) == {
        "met": False,
        "fit": "not_a_fit",
    }


class FakePerson:
    """The services as one member, with the matcher's answers chosen by the test."""

    def __init__(self, life: object) -> None:
        self.life = life
        self.sent: list[tuple[str, dict]] = []

    async def my_matches(self) -> list[dict]:
        return [{"id": "seat-1", "kind": "rotations", "members": ["m1"], "explanation": ""}]

    async def match_life(self, match_id: str) -> dict:
        if isinstance(self.life, Exception):
            raise self.life
        return dict(self.life)  # type: ignore[call-overload]

    async def answer_match(self, match_id: str, body: dict) -> dict:
        self.sent.append((match_id, body))
        return {}

    async def people(self, ids: list[str]) -> dict:
        return {}


async def test_a_seminar_seat_shows_without_answer_forms_but_a_fault_is_not_hidden() -> None:
    from services.portal.domain.errors import PageNotFound, ServiceUnavailable
    from services.portal.service_layer import proposals

    seat = await proposals.page(FakePerson(ServiceUnavailable(status=409)), "seat-1", "m1")  # type: ignore[arg-type]
    assert seat.life is None and seat.match["kind"] == "rotations"
    with pytest.raises(ServiceUnavailable):
        await proposals.page(FakePerson(ServiceUnavailable(status=503)), "seat-1", "m1")  # type: ignore[arg-type]
    with pytest.raises(PageNotFound):
        await proposals.page(FakePerson({}), "someone-elses", "m1")  # type: ignore[arg-type]


async def test_an_answer_form_reaches_the_matcher_as_codes() -> None:
    from services.portal.service_layer import proposals

    person = FakePerson({})
    await proposals.answer(person, "x", {"decision": "decline", "reason": "left"})  # type: ignore[arg-type]
    assert person.sent == [("x", {"accept": False, "reason": "left"})]
