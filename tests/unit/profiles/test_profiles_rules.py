"""Business rules of a profile, over plain data."""

from __future__ import annotations

from services.profiles.domain.catalogue import Catalogue, Entry
from services.profiles.domain.rules import normalise_profile, profile_problems, slugify
from services.profiles.domain.starter_catalogue import STARTER_SKILLS
from shared.vocabulary import translate

CATALOGUE = Catalogue(Entry(code, label, en) for code, _kind, label, en in STARTER_SKILLS)
closest_skills = CATALOGUE.closest


def test_the_starter_catalogue_has_both_kinds_and_slug_codes() -> None:
    kinds = {kind for _c, kind, _l, _e in STARTER_SKILLS}
    assert kinds == {"savoir_faire", "savoir_etre"}
    assert all(slugify(code) == code for code in CATALOGUE)
    assert len(CATALOGUE) == len(STARTER_SKILLS) >= 20


def test_a_misspelt_code_suggests_the_catalogue_entry() -> None:
    assert closest_skills("organisation_deplacement")[0] == "organisation_deplacements"


def test_a_french_label_typed_by_hand_finds_its_code() -> None:
    assert "gestion_stress" in closest_skills("Gestion du stres")


def test_a_word_in_common_is_enough_for_a_hint() -> None:
    assert "gestion_projet" in closest_skills("projet")


def test_suggestions_are_at_most_three() -> None:
    assert len(closest_skills("gestion")) <= 3


def test_unknown_skills_wanted_are_reported_too() -> None:
    problems = profile_problems(
        {"skills": {"gestion_agenda": 2}, "skills_wanted": ["teletravail"]}, CATALOGUE
    )
    assert [p.field for p in problems] == ["skills_wanted"]
    assert problems[0].code == "unknown_skill"
    assert problems[0].params["code"] == "teletravail"
    assert "« teletravail »" in translate(problems[0].code, "fr", **problems[0].params)


def test_an_unknown_skill_names_the_closest_entries_as_a_parameter() -> None:
    (problem,) = profile_problems({"skills": {"organisation_deplacement": 2}}, CATALOGUE)
    assert problem.code == "unknown_skill"
    assert problem.params["closest"].split(", ")[0] == "organisation_deplacements"
    english = translate(problem.code, "en", **problem.params)
    assert english.startswith("skill “organisation_deplacement” is not in the catalogue")


def test_an_unknown_skill_with_nothing_close_points_to_the_catalogue() -> None:
    (problem,) = profile_problems({"skills_wanted": ["zzzz"]}, CATALOGUE)
    assert problem.code == "unknown_skill_no_match"
    assert "GET /skills" in translate(problem.code, "fr", **problem.params)


def test_a_mentor_must_accept_between_one_and_five_mentees() -> None:
    for capacity, ok in ((0, False), (1, True), (5, True)):
        profile = {"opt_ins": {"mentor": True, "mentor_capacity": capacity}}
        assert (profile_problems(profile, CATALOGUE) == []) is ok


def test_a_member_cannot_be_their_own_manager() -> None:
    problems = profile_problems({"manager_id": "m1"}, CATALOGUE, member_id="m1")
    assert [(p.field, p.code) for p in problems] == [("manager_id", "own_manager")]


def test_normalising_drops_the_capacity_of_a_non_mentor_and_duplicate_list_items() -> None:
    out = normalise_profile(
        {"opt_ins": {"mentor": False, "mentor_capacity": 3}, "languages": ["fr", "en", "fr"]}
    )
    assert out["opt_ins"]["mentor_capacity"] == 0
    assert out["languages"] == ["fr", "en"]
