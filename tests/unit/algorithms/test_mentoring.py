"""Mentoring round: hard constraints, locked/forbidden pairs, modes, reasons, report."""

from __future__ import annotations

import networkx as nx
import pytest
import scipy.sparse as sp

from services.matcher.algorithms.mentoring import match_mentoring, max_weight_b_matching
from services.matcher.algorithms.mentoring.scoring import ScoreWeights
from services.matcher.algorithms.model import AlgorithmError, InfeasibleError, Person, pair

WANT = frozenset({"BUDGET"})


def mentor(pid: str, cap: int = 1, **kw: object) -> Person:
    kw.setdefault("skills", {"BUDGET": 4})
    return Person(id=pid, site=str(kw.pop("site", "Paris")), mentor_capacity=cap, **kw)  # type: ignore[arg-type]


def mentee(pid: str, **kw: object) -> Person:
    kw.setdefault("skills_wanted", WANT)
    return Person(id=pid, site=str(kw.pop("site", "Paris")), mentee=True, **kw)  # type: ignore[arg-type]


def pairs_of(people: list[Person], **kw: object) -> set[tuple[str, str]]:
    result = match_mentoring(people, **kw)  # type: ignore[arg-type]
    return {(p.mentor_id, p.mentee_id) for p in result.pairs}


def test_no_mentor_exceeds_capacity() -> None:
    people = [mentor("m", cap=2), *(mentee(f"e{k}") for k in range(5))]
    result = match_mentoring(people)
    assert len(result.pairs) == 2
    assert set(result.unmatched.values()) == {"all_compatible_mentors_full"}


def test_members_who_did_not_opt_in_are_never_matched() -> None:
    bystander = Person("x", "Paris", skills_wanted=WANT)  # mentee=False
    people = [mentor("m", cap=3), bystander, mentee("e"), mentor("n", cap=0)]
    assert pairs_of(people) == {("m", "e")}


def test_a_member_is_never_paired_with_themself() -> None:
    both = Person(
        "a", "Paris", skills={"BUDGET": 4}, skills_wanted=WANT, mentor_capacity=1, mentee=True
    )
    result = match_mentoring([both])
    assert result.pairs == []
    assert result.unmatched == {"a": "no_mentor_opted_in"}


def test_manager_line_and_same_team_are_never_paired() -> None:
    boss = mentor("boss")
    report = mentee("rep", manager_id="boss")
    teammate = mentor("mate", manager_id="boss")
    result = match_mentoring([boss, report, teammate])
    assert result.pairs == []
    assert result.unmatched == {"rep": "same_manager_line"}
    far = mentor("far", manager_id="other")
    assert pairs_of([boss, report, teammate, far]) == {("far", "rep")}


def test_pairs_always_share_a_language() -> None:
    people = [mentor("fr"), mentee("en", languages=frozenset({"en"}))]
    assert match_mentoring(people).unmatched == {"en": "no_mentor_shares_language"}
    people.append(mentor("bi", languages=frozenset({"fr", "en"})))
    assert pairs_of(people) == {("bi", "en")}


@pytest.mark.parametrize("as_graph", [False, True])
def test_pairs_in_the_history_are_not_repeated(as_graph: bool) -> None:
    people = [mentor("m1"), mentor("m2", skills={"BUDGET": 1}), mentee("e")]
    history: object = [pair("e", "m1")]
    if as_graph:
        g = nx.Graph()
        g.add_edge("m1", "e")
        history = g
    assert pairs_of(people, history=history) == {("m2", "e")}
    only = match_mentoring(people[:1] + people[2:], history=history)
    assert only.unmatched == {"e": "already_paired_with_all"}


def test_forbidden_pairs_are_missing_edges() -> None:
    people = [mentor("m1"), mentor("m2", skills={"BUDGET": 1}), mentee("e")]
    assert pairs_of(people, forbidden=[pair("m1", "e")]) == {("m2", "e")}
    res = match_mentoring(people, forbidden=[pair("m1", "e"), pair("e", "m2")])
    assert res.unmatched == {"e": "forbidden_with_all"}


def test_locked_pair_is_kept_and_uses_the_mentor_capacity() -> None:
    people = [
        mentor("m", cap=1),
        mentor("weak", skills={"BUDGET": 1}),
        mentee("a", skills={"BUDGET": 2}),
        mentee("b"),
    ]
    free = pairs_of(people)
    assert ("m", "b") in free
    locked = match_mentoring(people, locked=[("m", "a")])
    got = {(p.mentor_id, p.mentee_id) for p in locked.pairs}
    assert got == {("m", "a"), ("weak", "b")}
    assert locked.locked == (("m", "a"),)


def test_locked_pair_may_override_soft_constraints_like_language() -> None:
    people = [mentor("m"), mentee("en", languages=frozenset({"en"}))]
    assert pairs_of(people, locked=[("m", "en")]) == {("m", "en")}


@pytest.mark.parametrize(
    "locked",
    [[("x", "a")], [("m", "a"), ("m", "b")], [("m", "a"), ("n", "a")], [("a", "m")]],
)
def test_impossible_locked_pairs_raise(locked: list[tuple[str, str]]) -> None:
    people = [mentor("m"), mentor("n"), mentee("a"), mentee("b")]
    with pytest.raises(InfeasibleError):
        match_mentoring(people, locked=locked)


def test_a_locked_pair_that_is_also_forbidden_raises() -> None:
    with pytest.raises(InfeasibleError):
        match_mentoring([mentor("m"), mentee("a")], locked=[("m", "a")], forbidden=[pair("m", "a")])


def test_min_score_drops_weak_pairs_and_says_so() -> None:
    people = [mentor("m", skills={"BUDGET": 1}), mentee("e")]
    assert pairs_of(people) == {("m", "e")}
    res = match_mentoring(people, min_score=0.5)
    assert res.unmatched == {"e": "no_candidate_above_min_score"}


def test_max_mentees_mode_matches_more_mentees_than_best_total_when_they_conflict() -> None:
    # Star mentor s is great for a and fine for b; the weak mentor w only
    # suits b. best_total gives s to the strongest (a, newcomer) and skips b's
    # weak pair if it scored <= 0; max_mentees must serve both.
    star = mentor("s", skills={"BUDGET": 4, "TRAVEL": 4})
    weak = mentor("w", skills={})
    a = mentee("a", skills_wanted=frozenset({"TRAVEL"}))
    b = mentee("b", skills_wanted=frozenset({"BUDGET"}))
    people = [star, weak, a, b]
    w = ScoreWeights(skills=1.0, themes=0, cross_site=0, newcomer=0, seniority=0)
    best = match_mentoring(people, w)
    most = match_mentoring(people, w, mode="max_mentees")
    assert best.report.matched == 1
    assert most.report.matched == 2
    assert most.report.total_score <= best.report.total_score


def test_unknown_mode_is_rejected() -> None:
    with pytest.raises(AlgorithmError):
        match_mentoring([], mode="fastest")  # type: ignore[arg-type]


def test_report_gives_coverage_per_site_cross_site_share_and_worst_score() -> None:
    people = [
        mentor("m1", site="Lyon", cap=2),
        mentee("p1", site="Paris"),
        mentee("l1", site="Lyon", themes=frozenset({"x"})),
        mentee("g1", site="Lille", languages=frozenset({"de"})),
    ]
    r = match_mentoring(people).report
    assert (r.mentees, r.matched) == (3, 2)
    assert r.share_matched == pytest.approx(2 / 3)
    assert r.share_cross_site == pytest.approx(0.5)
    assert {s: (c.mentees, c.matched) for s, c in r.per_site.items()} == {
        "Lille": (1, 0),
        "Lyon": (1, 1),
        "Paris": (1, 1),
    }
    assert r.worst_score == min(p.total for p in match_mentoring(people).pairs)
    assert r.unmatched == {"g1": "no_mentor_shares_language"}
    assert r.total_score == pytest.approx(sum(p.total for p in match_mentoring(people).pairs))


def test_public_b_matching_accepts_a_sparse_matrix_and_capacities_by_column() -> None:
    w = sp.csr_array([[3.0, 0.0], [2.0, 1.0], [2.5, 0.0]])
    assert max_weight_b_matching(w, [2, 1]) == [(0, 0), (1, 1), (2, 0)]


def test_public_b_matching_never_uses_non_positive_edges_in_best_total() -> None:
    assert max_weight_b_matching({("a", "x"): -1.0, ("b", "x"): 0.0}, {"x": 2}) == []
    got = max_weight_b_matching({("a", "x"): -1.0, ("b", "x"): 0.0}, {"x": 2}, mode="max_mentees")
    assert got == [("a", "x"), ("b", "x")]


def test_the_fast_feasibility_mask_equals_the_and_of_the_explained_filters() -> None:
    import numpy as np

    from services.matcher.algorithms.mentoring.constraints import ConstraintFilters

    rng = np.random.default_rng(5)
    people = [
        Person(
            id=f"p{k}",
            site="Paris",
            manager_id=None if k % 7 == 0 else f"p{rng.integers(0, 40)}",
            languages=frozenset(rng.choice(["fr", "en", "de"], 1).tolist()),
            mentor_capacity=int(k % 3 == 0),
            mentee=k % 2 == 0,
        )
        for k in range(40)
    ]
    mentors = [p for p in people if p.mentor_capacity]
    mentees = [p for p in people if p.mentee]
    history = [pair("p0", "p3"), pair("p4", "p9")]
    f = ConstraintFilters(mentors, mentees, people, history, [pair("p2", "p6")])
    expected = np.ones((len(mentees), len(mentors)), dtype=bool)
    for _, mask in f.stages(np.arange(len(mentees))):
        expected &= mask
    assert 0 < expected.sum() < expected.size
    np.testing.assert_array_equal(f.feasible(), expected)


def test_public_b_matching_rejects_positional_capacities_with_a_weight_mapping() -> None:
    with pytest.raises(AlgorithmError):
        max_weight_b_matching({("a", "x"): 1.0}, [1])
