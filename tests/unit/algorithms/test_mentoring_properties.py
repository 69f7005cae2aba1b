"""Property tests: the b-matching is optimal (checked against networkx) and legal."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.mentoring import match_mentoring, max_weight_b_matching
from services.matcher.algorithms.mentoring.pricing import solve_with_pricing
from services.matcher.algorithms.mentoring.scoring import score_pair
from services.matcher.algorithms.mentoring.solver import solve_sparse
from services.matcher.algorithms.model import Person, pair
from services.matcher.algorithms.organisation import Organisation

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def expanded_optimum(w: dict[tuple[int, int], float], caps: dict[int, int], maxcard: bool):
    """Independent solver: networkx blossom matching on the capacity-expanded graph."""
    g = nx.Graph()
    for (i, j), x in w.items():
        if maxcard or x > 0:
            for s in range(caps.get(j, 0)):
                g.add_edge(("L", i), ("R", j, s), weight=x)
    m = nx.max_weight_matching(g, maxcardinality=maxcard)
    return len(m), sum(g[a][b]["weight"] for a, b in m)


instances = st.integers(1, 7).flatmap(
    lambda n: st.integers(1, 5).flatmap(
        lambda m: st.tuples(
            st.dictionaries(
                st.tuples(st.integers(0, n - 1), st.integers(0, m - 1)),
                st.integers(-3, 12).map(lambda x: x / 4),
                max_size=n * m,
            ),
            st.dictionaries(st.integers(0, m - 1), st.integers(0, 3), min_size=m, max_size=m),
        )
    )
)


@SETTINGS
@given(instances, st.sampled_from(["best_total", "max_mentees"]))
def test_b_matching_total_equals_the_networkx_optimum_on_the_expanded_graph(inst, mode) -> None:
    w, caps = inst
    got = max_weight_b_matching(w, caps, mode=mode)
    size, best = expanded_optimum(w, caps, maxcard=(mode == "max_mentees"))
    assert sum(w[e] for e in got) == pytest.approx(best, abs=1e-9)
    if mode == "max_mentees":
        assert len(got) == size
    assert len({i for i, _ in got}) == len(got), "a mentee got two mentors"
    for j in caps:
        assert sum(1 for _, r in got if r == j) <= caps[j]
    assert all(e in w for e in got)


@SETTINGS
@given(instances, st.integers(1, 3), st.booleans())
def test_pruning_with_pricing_proves_the_same_optimum_as_the_full_solve(inst, k, lexi) -> None:
    w, caps = inst
    n = 1 + max((i for i, _ in w), default=0)
    m = len(caps)
    dense = np.full((n, m), -np.inf)
    for (i, j), x in w.items():
        dense[i, j] = x
    cap = np.array([caps[j] for j in range(m)])
    shift = 100.0 if lexi else 0.0
    mate, stats = solve_with_pricing(dense, cap, top_k=k, shift=shift)
    total = sum(dense[i, j] + shift for i, j in enumerate(mate) if j >= 0)
    _, best = expanded_optimum({e: x + shift for e, x in w.items()}, caps, maxcard=False)
    assert stats.proved_optimal
    assert total == pytest.approx(best, abs=1e-9)


languages = st.frozensets(st.sampled_from(["fr", "en", "de"]), min_size=1, max_size=2)
member = st.builds(
    lambda k, site, boss, langs, lv, want, cap, mentee_, newc, team: Person(
        id=f"p{k}",
        site=site,
        manager_id=None if boss is None else f"p{boss}" if boss < 10 else f"mgr:{boss % 2}",
        management_line=() if boss is None or boss < 10 else (f"mgr:{boss % 2}", "mgr:ceo"),
        team=team,
        languages=langs,
        skills=lv,
        skills_wanted=want,
        mentor_capacity=cap,
        mentee=mentee_,
        newcomer=newc,
        seniority_years=float(k),
    ),
    st.just(0),
    st.sampled_from(["Lyon", "Paris"]),
    st.none() | st.integers(0, 13),
    languages,
    st.dictionaries(st.sampled_from("ABC"), st.integers(0, 4), max_size=3),
    st.frozensets(st.sampled_from("ABC"), max_size=2),
    st.integers(0, 2),
    st.booleans(),
    st.booleans(),
    st.none() | st.sampled_from(["t1", "t2"]),
)
populations = st.lists(member, min_size=2, max_size=9).map(
    lambda ps: [
        Person(**{**{s: getattr(p, s) for s in Person.__slots__}, "id": f"p{k}"})
        for k, p in enumerate(ps)
    ]
)


@SETTINGS
@given(populations, st.data(), st.sampled_from(["best_total", "max_mentees"]))
def test_a_round_never_breaks_a_hard_constraint_and_is_optimal(people, data, mode) -> None:
    ids = [p.id for p in people]
    history = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4))
    history = [pair(a, b) for a, b in history if a != b]
    by_id = {p.id: p for p in people}
    res = match_mentoring(people, history=history, mode=mode, top_k=1)
    org = Organisation(people)
    load: dict[str, int] = {}
    for s in res.pairs:
        m, e = by_id[s.mentor_id], by_id[s.mentee_id]
        assert e.mentee and m.mentor_capacity >= 1 and m.id != e.id
        assert not org.conflict(m.id, e.id)
        assert m.manager_id is None or m.manager_id != e.manager_id
        assert m.team is None or m.team != e.team
        assert m.languages & e.languages
        assert pair(m.id, e.id) not in history
        load[m.id] = load.get(m.id, 0) + 1
    assert all(load[x] <= by_id[x].mentor_capacity for x in load)
    matched = {s.mentee_id for s in res.pairs}
    assert set(res.unmatched) == {p.id for p in people if p.mentee} - matched
    # Optimality against networkx on the legal edges, scored independently.
    legal = {}
    for e in (p for p in people if p.mentee):
        for m in (p for p in people if p.mentor_capacity >= 1):
            if (
                m.id != e.id
                and not org.conflict(m.id, e.id)
                and m.languages & e.languages
                and pair(m.id, e.id) not in history
            ):
                legal[(e.id, m.id)] = score_pair(m, e).total
    caps = {p.id: p.mentor_capacity for p in people}
    size, best = expanded_optimum(legal, caps, maxcard=(mode == "max_mentees"))
    assert res.report.total_score == pytest.approx(best, abs=1e-9)
    assert res.stats.proved_optimal
    if mode == "max_mentees":
        assert res.report.matched == size


def test_pruned_and_priced_solve_matches_the_dense_solve_on_300_by_150() -> None:
    rng = np.random.default_rng(7)
    n, m = 300, 150
    # Popular mentors (column effect) make top-k pruning lose without pricing.
    w = rng.integers(0, 40, (n, m)) / 8 + rng.integers(0, 16, m)[None, :] / 4
    w[rng.random((n, m)) < 0.2] = -np.inf
    caps = rng.integers(1, 3, m)
    mate, stats = solve_with_pricing(w, caps, top_k=5)
    rows, cols = np.nonzero(np.isfinite(w) & (w > 0))
    full = solve_sparse(n, rows, cols, w[rows, cols], caps)
    total = sum(w[i, j] for i, j in enumerate(mate) if j >= 0)
    best = sum(w[i, j] for i, j in enumerate(full) if j >= 0)
    assert stats.proved_optimal
    assert stats.pricing_rounds >= 2, "instance too easy: pruning alone was optimal"
    assert total == pytest.approx(best, abs=1e-9)
    assert np.all(np.bincount(mate[mate >= 0], minlength=m) <= caps)


def dense_reference(w: np.ndarray, caps: np.ndarray) -> float:
    """Independent exact solver: linear_sum_assignment on mentees x slots (0 = unmatched)."""
    from scipy.optimize import linear_sum_assignment

    owner = np.repeat(np.arange(len(caps)), caps)
    big = np.where(np.isfinite(w) & (w > 0), w, 0.0)[:, owner]
    r, c = linear_sum_assignment(big, maximize=True)
    return float(big[r, c].sum())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shared_unmatched_columns_still_give_the_optimum_when_many_must_stay_unmatched(
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    n, m = 400, 200
    w = rng.integers(1, 50, (n, m)) / 7
    w[rng.random((n, m)) < 0.5] = -np.inf
    w[:60] = -np.inf
    w[:60, 0] = 5.0  # 60 mentees compete for the 2 places of mentor 0
    caps = np.full(m, 2)
    rows, cols = np.nonzero(np.isfinite(w))
    mate = solve_sparse(n, rows, cols, w[rows, cols], caps)
    assert (mate[:60] >= 0).sum() <= 2
    assert np.all(np.bincount(mate[mate >= 0], minlength=m) <= caps)
    assert total_weight(w, mate) == pytest.approx(dense_reference(w, caps), abs=1e-9)


def total_weight(w: np.ndarray, mate: np.ndarray) -> float:
    return float(sum(w[i, j] for i, j in enumerate(mate) if j >= 0))


def test_a_round_over_300_generated_profiles_matches_the_dense_exact_solver() -> None:
    rng = np.random.default_rng(3)
    people = [
        Person(
            id=f"p{k}",
            site=str(rng.choice(["Lyon", "Paris", "Lille"])),
            manager_id=f"b{rng.integers(40)}",
            languages=frozenset({"fr"}) if rng.random() < 0.8 else frozenset({"en"}),
            skills={c: int(rng.integers(0, 5)) for c in "ABCDEFGH"},
            skills_wanted=frozenset(rng.choice(list("ABCDEFGH"), 2, replace=False).tolist()),
            themes=frozenset(rng.choice(list("tuvwxyz"), 2, replace=False).tolist()),
            seniority_years=float(rng.integers(0, 20)),
            newcomer=bool(rng.random() < 0.2),
            mentor_capacity=2 if k < 150 else 0,
            mentee=k >= 150,
        )
        for k in range(450)
    ]
    res = match_mentoring(people, top_k=3)
    mentors = [p for p in people if p.mentor_capacity]
    mentees = [p for p in people if p.mentee]
    from services.matcher.algorithms.mentoring.constraints import ConstraintFilters
    from services.matcher.algorithms.mentoring.scoring import score_matrix

    w = score_matrix(mentors, mentees)
    w[~ConstraintFilters(mentors, mentees, people).feasible()] = -np.inf
    assert res.stats.proved_optimal
    assert res.stats.pricing_rounds >= 2
    assert res.report.total_score == pytest.approx(dense_reference(w, np.full(150, 2)), abs=1e-9)


def popular_mentor_instance(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, m = 300, 150
    w = rng.integers(0, 40, (n, m)) / 8 + rng.integers(0, 16, m)[None, :] / 4
    w[rng.random((n, m)) < 0.2] = -np.inf
    return w, rng.integers(1, 3, m)


def test_an_unproved_solve_reports_a_gap_bound_that_covers_what_it_lost() -> None:
    w, caps = popular_mentor_instance(7)
    mate, stats = solve_with_pricing(w, caps, top_k=1, max_rounds=1)
    lost = dense_reference(w, caps) - total_weight(w, mate)
    assert not stats.proved_optimal
    assert lost > 0, "instance too easy: the first pruned solve was already optimal"
    assert stats.gap_bound >= lost - 1e-9


def test_weights_off_the_integer_grid_are_proved_with_a_tiny_rounding_bound() -> None:
    rng = np.random.default_rng(11)
    w = rng.random((120, 60)) * np.pi  # not multiples of 1 / scale
    w[rng.random(w.shape) < 0.3] = -np.inf
    caps = np.full(60, 2)
    mate, stats = solve_with_pricing(w, caps, top_k=2)
    assert stats.proved_optimal
    assert 0 < stats.gap_bound < 1e-6
    assert total_weight(w, mate) == pytest.approx(dense_reference(w, caps), abs=stats.gap_bound)


def test_default_scores_lie_on_the_integer_grid_so_a_proved_round_has_no_gap() -> None:
    rng = np.random.default_rng(4)
    people = [
        Person(
            id=f"p{k}",
            site=str(rng.choice(["Lyon", "Paris"])),
            skills={c: int(rng.integers(0, 5)) for c in "ABCDEFGHIJKL"},
            skills_wanted=frozenset(rng.choice(list("ABCDEFGHIJKL"), 7, replace=False).tolist()),
            themes=frozenset(rng.choice(list("tuvwxyz"), 3, replace=False).tolist()),
            seniority_years=float(rng.integers(0, 40)) / 8,
            newcomer=bool(rng.random() < 0.3),
            mentor_capacity=2 if k < 40 else 0,
            mentee=k >= 40,
        )
        for k in range(140)
    ]
    res = match_mentoring(people, top_k=2)
    assert res.stats.proved_optimal
    assert res.stats.gap_bound == 0.0
