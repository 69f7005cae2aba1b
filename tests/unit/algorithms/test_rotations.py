"""Seminar rotations: the goal instances, history, forbidden pairs, re-planning, report."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from services.matcher.algorithms.model import AlgorithmError, Person, pair
from services.matcher.algorithms.rotations import (
    greedy_rotations,
    plan_rotations,
    replan_rotations,
)


def population(n: int, sites: str) -> list[Person]:
    return [Person(f"m{i:03d}", site=sites[i % len(sites)]) for i in range(n)]


def encounters(rounds: list[list[tuple[str, ...]]]) -> Counter[frozenset[str]]:
    return Counter(
        pair(a, b)
        for tables in rounds
        for table in tables
        for a, b in itertools.combinations(table, 2)
    )


def largest_site_share(rounds, people: list[Person]) -> float:
    site = {p.id: p.site for p in people}
    return max(
        max(Counter(site[m] for m in t).values()) / len(t) for tables in rounds for t in tables
    )


def test_32_people_at_8_tables_of_4_for_9_rounds_never_meet_twice():
    people = population(32, "ABCD")
    plan = plan_rotations(people, table_size=4, rounds=9)
    assert len(plan.rounds) == 9
    assert all(sorted(len(t) for t in tables) == [4] * 8 for tables in plan.rounds)
    assert max(encounters(plan.rounds).values()) == 1
    assert plan.report.figures.repeated_encounters == 0


def test_250_people_at_25_tables_of_10_for_8_rounds_never_meet_twice_and_mix_sites():
    people = population(250, "ABCDE")
    plan = plan_rotations(people, table_size=10, rounds=8)
    assert max(encounters(plan.rounds).values()) == 1
    assert largest_site_share(plan.rounds, people) <= 0.5
    assert plan.report.figures.tables_over_site_share == 0


def test_250_people_from_uneven_sites_still_keep_every_site_at_most_half_a_table():
    sizes = {"Paris": 100, "Lyon": 60, "Lille": 45, "Nantes": 30, "Pau": 15}
    people = [Person(f"{s}{i}", site=s) for s, k in sizes.items() for i in range(k)]
    plan = plan_rotations(people, table_size=10, rounds=8)
    assert max(encounters(plan.rounds).values()) == 1
    assert largest_site_share(plan.rounds, people) <= 0.5


def test_history_pairs_are_kept_apart_when_a_design_allows_it():
    people = population(32, "ABCD")
    history = {pair("m000", "m001"), pair("m002", "m003"), pair("m004", "m010")}
    plan = plan_rotations(people, table_size=4, rounds=9, history=history)
    met = encounters(plan.rounds)
    assert all(met[h] == 0 for h in history)
    assert plan.report.figures.repeated_encounters == 0


def test_history_pair_seated_together_counts_as_one_repeat():
    people = population(4, "AB")
    plan = plan_rotations(people, table_size=4, rounds=1, history={pair("m000", "m001")})
    assert plan.report.figures.repeated_encounters == 1


def test_forbidden_pairs_never_share_a_table_in_a_feasible_instance():
    people = population(40, "ABCD")
    forbidden = {pair(f"m{i:03d}", f"m{i + 1:03d}") for i in range(0, 40, 2)}
    plan = plan_rotations(people, table_size=5, rounds=5, forbidden=forbidden)
    met = encounters(plan.rounds)
    assert all(met[f] == 0 for f in forbidden)
    assert plan.report.figures.forbidden_pairs_seated_together == 0


def test_odd_population_uses_tables_one_seat_short():
    plan = plan_rotations(population(33, "ABC"), table_size=4, rounds=6)
    for tables in plan.rounds:
        assert sorted(len(t) for t in tables) == [3, 3, 3] + [4] * 6
    assert plan.report.figures.repeated_encounters == 0


def test_same_seed_gives_the_same_plan_whatever_the_input_order():
    people = population(45, "ABC")
    a = plan_rotations(people, table_size=5, rounds=4, seed=7)
    b = plan_rotations(list(reversed(people)), table_size=5, rounds=4, seed=7)
    assert a.rounds == b.rounds


def test_replan_keeps_past_rounds_and_seats_exactly_the_people_present():
    people = population(32, "ABCD")
    plan = plan_rotations(people, table_size=4, rounds=6)
    present = [*people[3:], Person("new1", site="A"), Person("new2", site="B")]
    again = replan_rotations(plan, 2, present)
    assert again.rounds[:2] == plan.rounds[:2]
    for tables in again.rounds[2:]:
        assert sorted(m for t in tables for m in t) == sorted(p.id for p in present)
    assert again.report.figures.repeated_encounters == 0
    assert again.report.tables[0].round == 2


def test_replan_counts_past_encounters_as_history():
    people = population(8, "AB")
    plan = plan_rotations(people, table_size=4, rounds=2, max_iterations=200)
    again = replan_rotations(plan, 1, people, max_iterations=0)
    met = encounters(again.rounds)
    repeats = sum(c - 1 for c in met.values())
    assert again.report.figures.repeated_encounters == repeats


def test_report_compares_with_a_random_seating_of_the_same_people():
    plan = plan_rotations(population(60, "ABC"), table_size=6, rounds=5)
    figs, base = plan.report.figures, plan.report.random_baseline
    assert figs.repeated_encounters == 0 < base.repeated_encounters
    assert figs.max_site_share <= 0.5 < base.max_site_share
    assert figs.worst_table_score > base.worst_table_score
    assert len(plan.report.tables) == 5 * 10


def test_naive_greedy_leaves_repeats_on_the_32_people_instance():
    rounds = greedy_rotations(population(32, "ABCD"), table_size=4, rounds=9)
    assert max(encounters(rounds).values()) > 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"table_size": 1, "rounds": 2},
        {"table_size": 4, "rounds": -1},
        {"table_size": 4, "rounds": 2, "max_site_share": 0.0},
        {"table_size": 4, "rounds": 2, "time_limit_s": 0.0},
    ],
)
def test_bad_parameters_are_refused(kwargs):
    with pytest.raises(AlgorithmError):
        plan_rotations(population(8, "AB"), **kwargs)


def test_duplicate_member_ids_are_refused():
    with pytest.raises(AlgorithmError):
        plan_rotations([Person("a", "P"), Person("a", "L")], table_size=2, rounds=1)


def test_empty_population_gives_empty_rounds():
    plan = plan_rotations([], table_size=4, rounds=3)
    assert plan.rounds == [[], [], []]


def test_replan_with_nobody_leaving_keeps_every_planned_seat():
    people = population(32, "ABCD")
    plan = plan_rotations(people, table_size=4, rounds=9)
    again = replan_rotations(plan, 4, people)
    assert again.rounds == plan.rounds
    assert again.report.method == "planned seats kept"


def test_replan_after_leavers_of_the_tight_32_people_plan_stays_repeat_free():
    people = population(32, "ABCD")
    plan = plan_rotations(people, table_size=4, rounds=9)
    again = replan_rotations(plan, 4, people[3:])
    assert max(encounters(again.rounds).values()) == 1
    assert again.report.figures.repeated_encounters == 0
    kept = total = 0
    for old, new in zip(plan.rounds[4:], again.rounds[4:], strict=True):
        old_table = {m: set(t) for t in old for m in t}
        for table in new:
            for m in table:
                total += 1
                kept += set(table) <= old_table[m]
    assert kept > total / 2  # most people keep their planned tablemates
