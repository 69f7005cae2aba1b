"""Quality report, baselines and building blocks of practice-exchange groups."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.groups import (
    Group,
    GroupWeights,
    assess_groups,
    form_groups,
    group_sizes,
    kmeans_then_chop,
    random_groups,
)
from services.matcher.algorithms.groups.balance import balance_units
from services.matcher.algorithms.groups.exchange import BlockInput, exchange_block
from services.matcher.algorithms.groups.model import theme_label
from services.matcher.algorithms.groups.report import sites_upper_bound
from services.matcher.algorithms.model import AlgorithmError, InfeasibleError, Person, pair

SITES = ("Paris", "Lyon", "Lille", "Nantes")


def community_population(n: int, seed: int = 0) -> list[Person]:
    """Members of a few latent communities (function + themes), sites independent."""
    rng = np.random.default_rng(seed)
    comms = [("AD", "budget", "voyages"), ("OM", "accueil", "achats"), ("AE", "RH", "paie")]
    people = []
    for i in range(n):
        func, t1, t2 = comms[int(rng.integers(len(comms)))]
        people.append(
            Person(
                id=f"m{i:04}",
                site=str(rng.choice(SITES, p=(0.4, 0.3, 0.2, 0.1))),
                function=func,
                themes=frozenset({t1, t2, "outils"}),
                skills={"agenda": int(rng.integers(1, 5))},
                seniority_years=float(rng.gamma(2, 5)),
                newcomer=bool(rng.random() < 0.15),
                groups=True,
                facilitator=bool(rng.random() < 0.25),
            )
        )
    return people


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(2, 9), min_size=1, max_size=8),
    st.lists(st.integers(1, 30), min_size=1, max_size=5),
)
def test_sites_upper_bound_equals_the_max_flow_of_groups_and_sites(sizes, site_sizes) -> None:
    g = nx.DiGraph()
    for i, s in enumerate(sizes):
        g.add_edge("src", ("g", i), capacity=s)
        for j in range(len(site_sizes)):
            g.add_edge(("g", i), ("s", j), capacity=1)
    for j, c in enumerate(site_sizes):
        g.add_edge(("s", j), "dst", capacity=c)
    flow = nx.maximum_flow_value(g, "src", "dst")
    assert sites_upper_bound(sizes, site_sizes) == pytest.approx(flow / len(sizes))


def test_optimised_groups_beat_random_on_cohesion_sites_and_seniority_balance() -> None:
    people = community_population(400)
    res = form_groups(people)
    q, r = res.report.quality, res.report.random
    assert q.cohesion_mean >= r.cohesion_mean + 0.2
    assert q.sites_per_group >= 0.97 * q.sites_upper_bound > r.sites_per_group
    assert q.seniority_range <= 0.5 < r.seniority_range
    assert max(q.largest_site_shares) <= 0.5
    assert q.worst_group_score > r.worst_group_score
    assert q.facilitator_coverage == 1.0


def test_report_random_baseline_covers_the_same_population_with_the_same_sizes() -> None:
    people = community_population(100)
    res = form_groups(people, seed=3)
    assert sorted(res.report.random.sizes) == sorted(res.report.quality.sizes)
    assert res.report.random.sites_upper_bound == res.report.quality.sites_upper_bound
    placed = sorted(m for g in random_groups(people, seed=3) for m in g.members)
    assert placed == sorted(p.id for p in people)


def test_seniority_weight_buys_balance() -> None:
    people = community_population(300, seed=1)
    without = form_groups(people, weights=GroupWeights(seniority=0.0, newcomers=0.0))
    default = form_groups(people)
    assert default.report.quality.seniority_range < without.report.quality.seniority_range / 2


def test_cohesion_weight_keeps_similar_people_together() -> None:
    people = community_population(300, seed=2)
    blind = form_groups(people, weights=GroupWeights(cohesion=0.0))
    default = form_groups(people)
    assert default.report.quality.cohesion_mean > blind.report.quality.cohesion_mean + 0.1


def test_assess_groups_lists_every_repeated_pair_and_same_line_pair() -> None:
    people = [Person(f"p{i}", "A", manager_id="p0" if i == 1 else None) for i in range(6)]
    groups = [Group(("p0", "p1", "p2"), None, "", ("A",)), Group(("p3", "p4", "p5"), "p3", "", ())]
    history = [pair("p3", "p4"), pair("p0", "p5")]
    q = assess_groups(people, groups, history)
    assert q.repeated_pairs == (pair("p3", "p4"),)
    assert q.same_line_or_team_pairs == (pair("p0", "p1"),)
    assert q.groups_without_facilitator == (0,)
    assert q.facilitator_coverage == 0.5


def test_assess_groups_measures_sites_shares_and_cohesion() -> None:
    people = [
        Person("a", "P", function="AD"),
        Person("b", "P", function="AD"),
        Person("c", "L", function="RH"),
        Person("d", "L", function="RH"),
    ]
    q = assess_groups(people, [Group(("a", "b", "c", "d"), "a", "", ())])
    assert q.site_counts == (2,)
    assert q.largest_site_shares == (0.5,)
    assert q.cohesion_mean == pytest.approx(2 / 6)  # two identical pairs out of six


def test_theme_label_takes_the_two_most_common_themes_alphabetically_on_ties() -> None:
    ps = [
        Person("a", "P", themes=frozenset({"voyages", "budget"})),
        Person("b", "P", themes=frozenset({"voyages", "accueil"})),
        Person("c", "P", themes=frozenset({"budget"})),
    ]
    assert theme_label(ps) == "budget / voyages"
    assert theme_label([Person("x", "P")]) == ""


def test_members_without_function_themes_or_skills_are_still_grouped() -> None:
    people = [Person(f"p{i}", "AB"[i % 2], groups=True, facilitator=i < 3) for i in range(17)]
    res = form_groups(people)
    assert sorted(len(g.members) for g in res.groups) == [8, 9]
    assert all(g.facilitator for g in res.groups)


def test_kmeans_then_chop_puts_identical_profiles_together() -> None:
    people = [
        Person(f"p{i:02}", "A", function="AD" if i % 2 else "RH", groups=True) for i in range(16)
    ]
    groups = kmeans_then_chop(people)
    assert {len({people[int(m[1:])].function for m in g.members}) for g in groups} == {1}


def test_group_sizes_rejects_bad_bounds_and_gaps() -> None:
    assert group_sizes(0, 5, 10, 8) == []
    assert group_sizes(16, 5, 10, 8) == [8, 8]
    with pytest.raises(InfeasibleError):
        group_sizes(7, 5, 5, 5)
    with pytest.raises(AlgorithmError):
        group_sizes(20, 6, 10, 5)


def test_duplicate_member_ids_are_rejected() -> None:
    with pytest.raises(AlgorithmError):
        form_groups([Person("a", "P", groups=True), Person("a", "L", groups=True)])


def _block_objective(block: BlockInput, labels: np.ndarray, k: int, w) -> float:
    total = 0.0
    for g in range(k):
        idx = np.flatnonzero(labels == g)
        for i, j in itertools.combinations(idx, 2):
            total += w[0] * block.vectors[i] @ block.vectors[j]
            total -= w[1] * (block.sites[i] == block.sites[j]) + 1000.0 * block.forbidden[i, j]
        total -= w[2] * block.seniority[idx].sum() ** 2 + w[3] * block.newcomer[idx].sum() ** 2
        count = block.facilitator[idx].sum()
        total -= 1000.0 * (max(block.fac_low - count, 0) + max(count - block.fac_high, 0))
    return total


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.integers(0, 10_000))
def test_block_exchange_keeps_sizes_and_ends_where_no_swap_improves_its_objective(
    k, size, seed
) -> None:
    rng = np.random.default_rng(seed)
    m = k * size
    vec = rng.random((m, 4))
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    forbidden = np.zeros((m, m), dtype=bool)
    a, b = rng.integers(m, size=2)
    forbidden[a, b] = forbidden[b, a] = a != b
    block = BlockInput(
        vec,
        rng.integers(3, size=m),
        rng.normal(size=m),
        rng.normal(size=m),
        (rng.random(m) < 0.3).astype(float),
        forbidden,
        1,
        m,
    )
    labels = np.repeat(np.arange(k), size)
    w = (1.0, 1.0, 2.0, 0.5)
    out = exchange_block(block, labels, k, w, 10 * m)
    assert np.array_equal(np.bincount(out, minlength=k), np.bincount(labels, minlength=k))
    final = _block_objective(block, out, k, w)
    assert final >= _block_objective(block, labels, k, w) - 1e-9
    for i, j in itertools.combinations(range(m), 2):
        if out[i] != out[j]:
            swapped = out.copy()
            swapped[i], swapped[j] = out[j], out[i]
            assert _block_objective(block, swapped, k, w) <= final + 1e-6


def test_balance_units_permutes_members_and_evens_out_unit_seniority() -> None:
    rng = np.random.default_rng(0)
    n, d = 320, 5
    vec = np.abs(rng.normal(size=(n, d)))
    vec /= np.linalg.norm(vec, axis=1, keepdims=True)
    sen = np.sort(rng.normal(size=n))  # sorted: the first units are all junior
    sen -= sen.mean()
    arrays = (vec, rng.integers(3, size=n), sen, np.zeros(n), np.ones(n))
    unit_of_pos = np.repeat(np.arange(4), 80)
    order = balance_units(
        np.arange(n), unit_of_pos, np.full(4, 10.0), arrays, (1.0, 1.0, 16.0, 1.0), 8.0, 0.05
    )
    assert sorted(order.tolist()) == list(range(n))
    before = np.abs(np.bincount(unit_of_pos, sen)).max()
    after = np.abs(np.bincount(unit_of_pos, sen[order])).max()
    assert after < before / 10
