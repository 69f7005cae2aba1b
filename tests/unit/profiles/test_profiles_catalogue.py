"""Naming catalogue entries in one's own words, and near-duplicates (issue 10, item 4)."""

from __future__ import annotations

from services.profiles.domain.catalogue import Catalogue, Entry, normalise
from services.profiles.domain.rules import profile_problems, resolve_terms
from services.profiles.domain.starter_catalogue import STARTER_SKILLS, STARTER_THEMES
from shared.vocabulary import translate

SKILLS = Catalogue(Entry(c, fr, en) for c, _k, fr, en in STARTER_SKILLS)
THEMES = Catalogue(
    [*(Entry(c, fr, en) for c, fr, en in STARTER_THEMES), Entry("rse", "RSE", aliases=("CSR",))]
)


def test_codes_labels_and_aliases_name_the_same_entry_whatever_the_accents_case_and_spacing():
    for term in (
        "outils_numeriques",
        "Outils numériques",
        "OUTILS   NUMERIQUES",
        "outils-numériques",
        "Digital tools",
    ):
        assert THEMES.resolve(term) == "outils_numeriques", term
    assert THEMES.resolve("csr") == "rse"
    assert THEMES.resolve("jardinage") is None


def test_articles_underscores_and_spaces_do_not_tell_two_entries_apart() -> None:
    assert normalise("gestion_du_stress") == normalise("Gestion du stress") == "gestion stress"
    assert SKILLS.duplicate_of(Entry("gestion_du_stress", "Gestion du stress")) == (
        "gestion_stress",
        "gestion_du_stress",
    )
    assert SKILLS.duplicate_of(Entry("yoga", "Yoga au bureau")) is None
    assert (
        SKILLS.duplicate_of(Entry("gestion_stress", "Gestion du stress"), "gestion_stress") is None
    )


def test_the_starter_themes_cover_the_demo_community_and_hold_no_near_duplicates() -> None:
    from deploy.local.synthetic import THEMES as DEMO_THEMES

    assert set(DEMO_THEMES) <= {c for c, _fr, _en in STARTER_THEMES}
    seen = Catalogue([])
    for code, fr, en in STARTER_THEMES:
        entry = Entry(code, fr, en)
        assert seen.duplicate_of(entry) is None, code
        seen.add(entry)


def test_a_profile_may_name_skills_and_themes_by_label_and_unknown_themes_get_the_closest() -> None:
    profile = resolve_terms(
        {
            "skills": {"Gestion du stress": 2},
            "skills_wanted": ["Travel planning"],
            "themes": ["Relation client", "budgte"],
        },
        SKILLS,
        THEMES,
    )
    assert profile["skills"] == {"gestion_stress": 2}
    assert profile["skills_wanted"] == ["organisation_deplacements"]
    (problem,) = profile_problems(profile, SKILLS, themes=THEMES)
    assert (problem.field, problem.code) == ("themes", "unknown_theme")
    assert problem.params["closest"].split(", ")[0] == "budget"
    assert translate(problem.code, "en", **problem.params).startswith("theme “budgte”")
