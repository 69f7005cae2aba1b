"""Mentoring pair score: each term, weights, explanation, vectorised equality."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.mentoring.scoring import (
    ScoreWeights,
    score_matrix,
    score_pair,
)
from services.matcher.algorithms.model import AlgorithmError, Person

ONLY = {
    t: ScoreWeights(**{u: (1.0 if u == t else 0.0) for u in ScoreWeights.__slots__})
    for t in ScoreWeights.__slots__
}


def mentor(**kw: object) -> Person:
    return Person(
        id=str(kw.pop("id", "m")), site=str(kw.pop("site", "Paris")), mentor_capacity=1, **kw
    )  # type: ignore[arg-type]


def mentee(**kw: object) -> Person:
    return Person(id=str(kw.pop("id", "e")), site=str(kw.pop("site", "Paris")), mentee=True, **kw)  # type: ignore[arg-type]


def test_skills_term_is_the_mean_level_gap_over_wanted_skills_divided_by_four() -> None:
    m = mentor(skills={"A": 4, "B": 2, "C": 1})
    e = mentee(skills={"B": 3, "C": 0}, skills_wanted=frozenset({"A", "B", "C"}))
    # gaps: A 4-0=4, B max(0, 2-3)=0, C 1-0=1 -> 5 / (4 * 3)
    s = score_pair(m, e, ONLY["skills"])
    assert s.terms["skills"] == pytest.approx(5 / 12)
    assert s.taught_skills == ("A", "C")


def test_mentor_skills_the_mentee_does_not_want_do_not_count() -> None:
    m = mentor(skills={"A": 4})
    e = mentee(skills_wanted=frozenset({"B"}))
    assert score_pair(m, e, ONLY["skills"]).total == 0.0


def test_themes_term_is_the_share_of_mentee_themes_the_mentor_shares() -> None:
    m = mentor(themes=frozenset({"x", "y", "z"}))
    e = mentee(themes=frozenset({"x", "y", "w", "v"}))
    s = score_pair(m, e, ONLY["themes"])
    assert s.total == pytest.approx(0.5)
    assert s.shared_themes == ("x", "y")


def test_cross_site_bonus_only_when_sites_differ() -> None:
    assert score_pair(mentor(site="Lyon"), mentee(site="Paris"), ONLY["cross_site"]).total == 1.0
    assert score_pair(mentor(site="Lyon"), mentee(site="Lyon"), ONLY["cross_site"]).total == 0.0


def test_newcomer_priority_only_for_newcomer_mentees() -> None:
    assert score_pair(mentor(), mentee(newcomer=True), ONLY["newcomer"]).total == 1.0
    assert score_pair(mentor(newcomer=True), mentee(), ONLY["newcomer"]).total == 0.0


def test_seniority_term_is_capped_at_ten_years_and_never_negative() -> None:
    w = ONLY["seniority"]
    assert score_pair(mentor(seniority_years=8), mentee(seniority_years=3), w).total == 0.5
    assert score_pair(mentor(seniority_years=30), mentee(seniority_years=0), w).total == 1.0
    assert score_pair(mentor(seniority_years=1), mentee(seniority_years=9), w).total == 0.0


def test_zero_weights_turn_every_term_off() -> None:
    m = mentor(site="Lyon", skills={"A": 4}, themes=frozenset({"x"}), seniority_years=20)
    e = mentee(skills_wanted=frozenset({"A"}), themes=frozenset({"x"}), newcomer=True)
    zero = ScoreWeights(0, 0, 0, 0, 0)
    assert score_pair(m, e, zero).total == 0.0
    full = score_pair(m, e, ScoreWeights())
    assert full.total == pytest.approx(ScoreWeights().max_total())
    assert set(full.terms) == {"skills", "themes", "cross_site", "newcomer", "seniority"}


def test_weights_scale_their_term_linearly() -> None:
    m, e = mentor(skills={"A": 2}), mentee(skills_wanted=frozenset({"A"}))
    assert score_pair(m, e, ScoreWeights(skills=3.0)).terms["skills"] == pytest.approx(1.5)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_negative_or_non_finite_weights_are_rejected(bad: float) -> None:
    with pytest.raises(AlgorithmError):
        ScoreWeights(themes=bad)


def test_a_score_names_every_positive_term_as_a_code_without_names() -> None:
    m = mentor(
        id="sophie-42",
        site="Lyon",
        skills={"TRAVEL": 4, "MINUTES": 3},
        themes=frozenset({"a", "b", "c"}),
        seniority_years=10,
    )
    e = mentee(
        id="lea-7",
        site="Paris",
        skills_wanted=frozenset({"TRAVEL", "MINUTES"}),
        themes=frozenset({"a", "b", "c"}),
        newcomer=True,
        seniority_years=4,
    )
    s = score_pair(m, e)
    assert sorted(s.taught_skills) == ["MINUTES", "TRAVEL"]
    assert sorted(s.shared_themes) == ["a", "b", "c"]
    assert s.sites == ("Lyon", "Paris") and round(s.seniority_gap_years) == 6
    for term in ("skills", "themes", "cross_site", "newcomer", "seniority"):
        assert s.terms[term] > 0
    assert "sophie" not in repr(s.terms) and "lea" not in repr(s.terms)


def test_terms_that_contribute_nothing_are_zero() -> None:
    m = mentor(site="Paris", skills={"TRAVEL": 4})
    e = mentee(site="Paris", skills_wanted=frozenset({"TRAVEL"}))
    s = score_pair(m, e)
    assert [k for k, v in s.terms.items() if v > 0] == ["skills"]
    assert not any(score_pair(mentor(), mentee()).terms.values())


codes = st.sampled_from(["A", "B", "C", "D"])
people = st.builds(
    Person,
    id=st.uuids().map(str),
    site=st.sampled_from(["Lyon", "Paris", "Lille"]),
    skills=st.dictionaries(codes, st.integers(-1, 6), max_size=4),
    skills_wanted=st.frozensets(codes, max_size=4),
    themes=st.frozensets(st.sampled_from(["t1", "t2", "t3", "t4", "t5"]), max_size=5),
    seniority_years=st.floats(0, 40, allow_nan=False),
    newcomer=st.booleans(),
)
weights = st.builds(ScoreWeights, *[st.floats(0, 5, allow_nan=False)] * 5)


@settings(max_examples=60, deadline=None)
@given(st.lists(people, min_size=1, max_size=6), st.lists(people, min_size=1, max_size=6), weights)
def test_score_matrix_gives_exactly_the_totals_of_score_pair(
    mentors: list[Person], mentees: list[Person], w: ScoreWeights
) -> None:
    got = score_matrix(mentors, mentees, w)
    want = np.array([[score_pair(m, e, w).total for m in mentors] for e in mentees])
    assert got.shape == (len(mentees), len(mentors))
    np.testing.assert_array_equal(got, want)
