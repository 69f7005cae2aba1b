"""The construction library of the rotations planner: every design is proven by the checker.

Each test builds designs and checks them with an independent count (every round a partition
into tables of the right size, no pair twice), not with the library's own checker only.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.model import Person
from services.matcher.algorithms.rotations import plan_rotations
from services.matcher.algorithms.rotations.checker import repeat_free, repeats
from services.matcher.algorithms.rotations.cyclic import develop, forms, kirkman_like
from services.matcher.algorithms.rotations.golfer_solutions import SOLUTIONS, stored_solution
from services.matcher.algorithms.rotations.kirkman_bases import BASES
from services.matcher.algorithms.rotations.library import construct
from services.matcher.algorithms.rotations.mols import (
    DM_12_6,
    QDM_7_3,
    field_mols,
    is_latin,
    mols,
    mols_10,
    mols_12,
    orthogonal,
    qdm_rows,
    z2_z6_add,
)
from services.matcher.algorithms.rotations.nets import affine_lines, net_design, resolvable_td
from services.matcher.algorithms.rotations.rbibd import rbibd_4


def assert_repeat_free(design, n: int, k: int, rounds: int) -> None:
    assert len(design) == rounds
    seen: set[tuple[int, int]] = set()
    for tables in design:
        assert sorted(p for t in tables for p in t) == list(range(n))
        assert all(len(t) == k for t in tables)
        for t in tables:
            for a, b in itertools.combinations(sorted(t), 2):
                assert (a, b) not in seen
                seen.add((a, b))


def test_the_checker_counts_a_pair_met_three_times_as_two_repeats():
    design = [[[0, 1], [2, 3]]] * 3
    assert repeats(design) == 4
    assert not repeat_free(design, 4, 2)
    assert not repeat_free([[[0, 1], [2, 2]]], 4, 2)


@pytest.mark.parametrize("q", [3, 4, 5, 7, 8, 9, 11, 16])
def test_finite_field_squares_are_latin_and_pairwise_orthogonal(q):
    squares = field_mols(q)
    assert len(squares) == q - 1
    assert all(map(is_latin, squares))
    assert all(orthogonal(a, b) for a, b in itertools.combinations(squares, 2))


def test_two_orthogonal_latin_squares_of_order_ten_exist_and_the_search_finds_their_matrix():
    a, b = mols_10()
    assert is_latin(a) and is_latin(b) and orthogonal(a, b)
    assert qdm_rows() == QDM_7_3


def test_the_difference_matrix_of_order_twelve_has_every_difference_once_in_two_columns():
    def minus(x: int) -> int:
        return next(y for y in range(12) if z2_z6_add(x, y) == 0)

    assert len(DM_12_6) == 12 and all(len(row) == 6 for row in DM_12_6)
    for c1, c2 in itertools.combinations(range(6), 2):
        diffs = {z2_z6_add(row[c2], minus(row[c1])) for row in DM_12_6}
        assert diffs == set(range(12))


def test_five_orthogonal_latin_squares_of_order_twelve_seat_144_people_for_seven_rounds():
    squares = mols_12()
    assert len(squares) == 5 and all(map(is_latin, squares))
    assert all(orthogonal(a, b) for a, b in itertools.combinations(squares, 2))
    assert mols(12, 5) == list(squares) and mols(12, 6) is None
    assert_repeat_free(net_design(mols(12, 5), 7), 144, 12, 7)
    assert_repeat_free(resolvable_td(6, mols(12, 5), 12), 72, 6, 12)


@pytest.mark.parametrize("q", [5, 9, 13, 17, 25, 29, 37])
def test_the_resolvable_design_on_3q_plus_1_points_meets_every_pair_exactly_once(q):
    n = 3 * q + 1
    design = rbibd_4(n, q)
    assert_repeat_free(design, n, 4, q)
    met = sum(len(t) * (len(t) - 1) // 2 for tables in design for t in tables)
    assert met == n * (n - 1) // 2  # a pair meeting once each: every pair has met
    assert rbibd_4(n, q + 1) is None


@pytest.mark.parametrize("n", [28 + 1, 64, 22, 3 * 7 + 1])
def test_the_resolvable_design_refuses_orders_it_does_not_cover(n):
    assert rbibd_4(n, 3) is None


@pytest.mark.parametrize(("n", "k"), sorted(SOLUTIONS))
def test_every_stored_published_solution_is_repeat_free_to_its_last_round(n, k):
    design = SOLUTIONS[(n, k)]
    assert_repeat_free(design, n, k, len(design))
    assert stored_solution(n, k, len(design) + 5) == design
    assert len(stored_solution(n, k, 3)) == 3


@pytest.mark.parametrize(("g", "m"), [(15, 2), (20, 3), (30, 2), (6, 1), (60, 4)])
def test_macneish_products_give_orthogonal_squares_of_composite_orders(g, m):
    squares = mols(g, m)
    assert squares is not None and len(squares) == m
    assert all(map(is_latin, squares))
    assert all(orthogonal(a, b) for a, b in itertools.combinations(squares, 2))
    assert mols(g, m + 1) is None


@pytest.mark.parametrize(("g", "m"), [(10, 2), (12, 2), (9, 8), (7, 6)])
def test_a_net_of_m_squares_seats_g_squared_people_for_m_plus_two_rounds(g, m):
    assert_repeat_free(net_design(mols(g, m), m + 2), g * g, g, m + 2)


@pytest.mark.parametrize(("s", "g"), [(3, 10), (3, 12), (4, 20), (3, 15)])
def test_a_resolvable_transversal_design_seats_s_groups_for_g_rounds(s, g):
    assert_repeat_free(resolvable_td(s, mols(g, s - 1), g), s * g, s, g)


@pytest.mark.parametrize(
    ("q", "d"), [(2, 3), (3, 2), (3, 3), (4, 2), (4, 3), (5, 2), (7, 2), (8, 2), (9, 2)]
)
def test_lines_of_an_affine_space_give_every_direction_a_round(q, d):
    rounds = (q**d - 1) // (q - 1)
    assert_repeat_free(affine_lines(q, d, rounds), q**d, q, rounds)
    assert affine_lines(q, d, rounds + 1) is None


@pytest.mark.parametrize(("n", "k"), sorted(BASES))
def test_every_stored_base_round_develops_into_its_full_design(n, k):
    index, bases = BASES[(n, k)]
    _, options = forms(n, k)
    form = options[index]
    rounds = form.r * form.bases // (2 if form.half_turn else 1)
    assert rounds == (n - 1) // (k - 1)
    assert_repeat_free(develop(bases, form.r, form.levels, rounds), n, k, rounds)


def test_the_resolver_finds_small_kirkman_systems_by_itself():
    for n, k in [(9, 3), (15, 3), (16, 4), (24, 3)]:
        _, design = kirkman_like(n, k, (n - 1) // (k - 1), search=True)
        assert_repeat_free(design, n, k, len(design))
        assert len(design) == (n - 1) // (k - 1)


#: (groups, size, weeks): published optimal (or best known) social-golfer instances
GOLFERS = [
    (3, 3, 4), (5, 3, 7), (6, 3, 8), (7, 3, 10), (8, 3, 11), (9, 3, 13), (10, 3, 14),
    (11, 3, 16), (12, 3, 17), (13, 3, 19), (15, 3, 22), (17, 3, 25), (4, 4, 5), (7, 4, 9),
    (8, 4, 9), (16, 4, 21), (5, 5, 6), (7, 7, 8), (8, 8, 9), (9, 9, 10), (10, 10, 4),
    (12, 12, 4), (10, 3, 10), (25, 10, 8), (20, 4, 20),
    (10, 4, 13), (13, 4, 17), (8, 4, 10), (12, 12, 7), (12, 6, 12), (19, 4, 25),
]  # fmt: skip


@pytest.mark.parametrize(("g", "s", "w"), GOLFERS)
def test_published_golfer_instances_are_built_without_any_repeat(g, s, w):
    built = construct(g * s, s, w)
    assert built is not None
    assert_repeat_free(built[1], g * s, s, w)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6), st.integers(2, 16), st.integers(1, 20))
def test_whatever_the_library_returns_is_repeat_free(k, g, rounds):
    built = construct(k * g, k, rounds)
    if built is not None:
        assert_repeat_free(built[1], k * g, k, len(built[1]))
        assert len(built[1]) <= rounds


def test_the_planner_seats_a_kirkman_seminar_of_21_for_10_rounds_without_repeats():
    people = [Person(f"p{i:02d}", site="ABC"[i % 3]) for i in range(21)]
    plan = plan_rotations(people, table_size=3, rounds=10, max_iterations=300)
    assert plan.report.figures.repeated_encounters == 0
    assert "KTS(21)" in plan.report.method


def test_the_planner_seats_100_people_at_10_tables_for_4_rounds_from_latin_squares():
    people = [Person(f"p{i:03d}", site="ABCDE"[i % 5]) for i in range(100)]
    plan = plan_rotations(people, table_size=10, rounds=4, max_iterations=300)
    assert plan.report.figures.repeated_encounters == 0
    assert plan.report.figures.tables_over_site_share == 0
    assert "MOLS of order 10" in plan.report.method


@pytest.mark.parametrize(
    ("g", "s", "w", "method"),
    [(10, 4, 13, "RBIBD(40, 4, 1)"), (8, 4, 10, "8-4-10"), (12, 12, 7, "5 MOLS of order 12")],
)
def test_the_planner_uses_the_frontier_constructions_for_their_parameters(g, s, w, method):
    people = [Person(f"p{i:03d}", site=f"s{i:03d}") for i in range(g * s)]
    plan = plan_rotations(people, table_size=s, rounds=w, max_iterations=300)
    assert plan.report.figures.repeated_encounters == 0
    assert method in plan.report.method
    assert len(plan.rounds) == w
    for tables in plan.rounds:
        assert sorted(p for t in tables for p in t) == sorted(p.id for p in people)
        assert all(len(t) == s for t in tables)
