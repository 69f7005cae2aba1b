"""The CSV format of member files: reading cells, reporting bad ones, writing rows back."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from services.profiles.domain.csv_format import (
    COLUMNS,
    column_of,
    header_problems,
    parse_row,
    to_row,
)
from shared.vocabulary.i18n import has_message


def test_cells_become_profile_fields() -> None:
    fields, problems = parse_row(
        {
            "email": " Anne@Ex.fr ",
            "skills": "gestion_agenda:3| gestion_stress:1",
            "languages": "fr|en",
            "mentor": "Oui",
            "mentor_capacity": "2",
            "mentee": "",
            "start_date": "05/03/2021",
            "availability_mode": "remote",
            "manager_email": "",
        }
    )
    assert problems == []
    assert fields["skills"] == {"gestion_agenda": 3, "gestion_stress": 1}
    assert fields["languages"] == ["fr", "en"]
    assert fields["opt_ins"] == {"mentor": True, "mentor_capacity": 2, "mentee": False}
    assert fields["start_date"] == date(2021, 3, 5)
    assert fields["availability"] == {"mode": "remote"}
    assert fields["manager_email"] is None


def test_each_unreadable_cell_is_reported_with_its_column() -> None:
    _, problems = parse_row(
        {
            "skills": "gestion_agenda",
            "mentee": "peut-être",
            "start_date": "2021-13-01",
            "mentor_capacity": "deux",
        }
    )
    assert {p.field for p in problems} == {"skills", "mentee", "start_date", "mentor_capacity"}
    assert {p.field: p.code for p in problems} == {
        "skills": "csv.invalid_skill_item",
        "mentee": "validation.bool_parsing",
        "start_date": "csv.invalid_date",
        "mentor_capacity": "validation.int_parsing",
    }
    assert all(has_message(p.code) for p in problems)


def test_a_header_with_unknown_or_missing_columns_is_refused() -> None:
    fields = {p.field for p in header_problems(["site", "salaire", "site"])}
    assert fields == {"salaire", "email", "site"}
    assert header_problems(list(COLUMNS)) == []


def test_field_paths_map_to_csv_columns() -> None:
    assert column_of("opt_ins.mentor_capacity") == "mentor_capacity"
    assert column_of("availability.frequency") == "availability_frequency"
    assert column_of("skills.gestion_agenda") == "skills"
    assert column_of("manager_id") == "manager_email"


slug = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


@given(
    skills=st.dictionaries(slug, st.integers(0, 4), max_size=5),
    langs=st.lists(st.sampled_from(["fr", "en", "de", "es"]), min_size=1, unique=True),
    mentor=st.booleans(),
    start=st.none() | st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 1, 1)),
)
def test_a_written_row_reads_back_to_the_same_fields(skills, langs, mentor, start) -> None:
    data = {
        "display_name": "Anne",
        "email": "a@ex.fr",
        "preferred_language": "fr",
        "site": "Lyon",
        "department": "",
        "function": "assistante",
        "chat_webhook_url": None,
        "languages": langs,
        "skills": skills,
        "skills_wanted": [],
        "themes": ["budget"],
        "notification_channels": ["email"],
        "start_date": start and start.isoformat(),
        "paused_until": None,
        "availability": {"frequency": "monthly", "mode": "either"},
        "opt_ins": {
            "mentor": mentor,
            "mentor_capacity": 2 if mentor else 0,
            "mentee": False,
            "groups": True,
            "seminars": False,
            "facilitator": False,
        },
    }
    fields, problems = parse_row(to_row("m1", data, "chef@ex.fr"))
    assert problems == []
    assert fields["skills"] == skills and fields["languages"] == langs
    assert fields["start_date"] == start
    assert fields["opt_ins"] == data["opt_ins"]
    assert fields["manager_email"] == "chef@ex.fr" and fields["id"] == "m1"


def test_a_formula_cell_our_export_escaped_reads_back_as_typed() -> None:
    fields, problems = parse_row({"display_name": "'=SUM(A1)", "site": "'-Lyon", "function": "'x"})
    assert not problems
    assert (fields["display_name"], fields["site"], fields["function"]) == (
        "=SUM(A1)",
        "-Lyon",
        "'x",
    )
