"""« Mon groupe » and the closing survey in the portal: forms read into codes, only the
group's people reach the matcher, the pages render in FR and EN."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from services.portal.domain import course_forms
from services.portal.domain.course_forms import feedback_from_form, session_from_form
from services.portal.domain.proposal_answer import AnswerFormInvalid
from services.portal.service_layer import course
from shared.vocabulary import translate

TEMPLATES = Path(course.__file__).resolve().parents[1] / "templates"
COURSE = {"match_id": "g1", "round_id": "r1", "kind": "groups", "member_ids": ["a", "b"],
          "facilitator_id": "f", "starts_on": "2027-01-04", "ends_on": "2027-04-04",
          "rhythm_weeks": 4, "due_sessions": ["2027-01-04", "2027-02-01"],
          "sessions": [{"session_date": "2027-01-04", "attendee_ids": ["a", "f"],
                        "recorded_by": "f"}],
          "closed_at": None, "closed_reason": None}  # fmt: skip


def test_the_examples_of_the_course_forms_run() -> None:
    result = doctest.testmod(course_forms)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("day", "came"), [("", []), ("04/01/2027", ["a"]), ("2027-01-04", ["stranger"])]
)
def test_a_session_needs_a_real_day_and_only_the_groups_people(day: str, came: list) -> None:
    with pytest.raises(AnswerFormInvalid):
        session_from_form(day, came, {"a", "b", "f"})


@pytest.mark.parametrize(
    "form",
    [{}, {"satisfaction": "6", "recommend": "yes"}, {"satisfaction": "3", "recommend": "maybe"},
     {"satisfaction": "3", "recommend": "no", "comment": "x" * 2001}],
)  # fmt: skip
def test_a_survey_outside_one_to_five_or_without_recommendation_is_refused(form: dict) -> None:
    with pytest.raises(AnswerFormInvalid):
        feedback_from_form(form)


class FakePerson:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict]] = []

    async def match_course(self, match_id: str) -> dict:
        return dict(COURSE)

    async def names(self, ids: list[str]) -> dict[str, str]:
        return {"a": "Ana", "f": "Fred"}  # b was erased: no name

    async def record_session(self, match_id: str, body: dict) -> dict:
        self.sent.append((match_id, body))
        return {}


async def test_the_group_page_names_its_people_and_knows_its_facilitator() -> None:
    page = await course.group(FakePerson(), "g1", "f")  # type: ignore[arg-type]
    assert page.facilitator and page.names == {"a": "Ana", "b": "b", "f": "Fred"}
    assert not (await course.group(FakePerson(), "g1", "a")).facilitator  # type: ignore[arg-type]


async def test_a_recorded_session_reaches_the_matcher_with_the_people_who_came() -> None:
    person = FakePerson()
    await course.record(person, "g1", "2027-02-01", ["f", "a"])  # type: ignore[arg-type]
    assert person.sent == [("g1", {"session_date": "2027-02-01", "attendee_ids": ["a", "f"]})]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("template", "feedback", "expected"),
    [
        ("mon_groupe.html", None, "portal.group_record"),
        ("avis.html", None, "portal.survey_not_open"),
        ("avis.html", {"answered_at": None}, "portal.survey_satisfaction"),
        ("avis_merci.html", {"answered_at": "x", "satisfaction": 4}, "portal.survey_recorded"),
    ],
)
def test_the_course_pages_render_in_both_languages(
    lang: str, template: str, feedback: dict | None, expected: str
) -> None:
    env = Environment(loader=FileSystemLoader(TEMPLATES))
    env.globals.update(t=lambda code, **kw: translate(code, lang, **kw), csrf_token="tok")
    page = env.get_template(template).render(
        course=COURSE, names={"a": "Ana", "b": "b", "f": "Fred"}, facilitator=True,
        recorded={"2027-01-04"}, refused="", feedback=feedback, scores=(1, 2, 3, 4, 5),
    )  # fmt: skip
    assert translate(expected, lang, n=4, end="2027-04-04").split("{")[0][:20] in page
    if template == "mon_groupe.html":
        assert "Ana, Fred" in page and 'name="came" value="b"' in page
