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
