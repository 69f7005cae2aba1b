"""Property-based tests of every hard constraint of the seminar rotations."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.model import Person, pair
from services.matcher.algorithms.rotations import plan_rotations, replan_rotations
from services.matcher.algorithms.rotations.designs import GF
from services.matcher.algorithms.rotations.engine import encode
from services.matcher.algorithms.rotations.greedy import greedy_tab
from services.matcher.algorithms.rotations.library import construct
from services.matcher.algorithms.rotations.search import TabuSearch

FAST = settings(max_examples=40, deadline=None)


@st.composite
def seminars(draw, max_people: int = 30):
    n = draw(st.integers(0, max_people))
    sites = draw(st.lists(st.sampled_from("ABCDE"), min_size=n, max_size=n))
    people = [Person(f"m{i:02d}", site=s) for i, s in enumerate(sites)]
    ids = [p.id for p in people]
    some_pairs = (
        st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=15)
        if ids
        else st.just([])
    )
    history = {pair(a, b) for a, b in draw(some_pairs) if a != b}
    forbidden = {pair(a, b) for a, b in draw(some_pairs) if a != b}
    return {
        "people": people,
        "table_size": draw(st.integers(2, 6)),
        "rounds": draw(st.integers(0, 4)),
        "history": history,
        "forbidden": forbidden,
        "seed": draw(st.integers(0, 3)),
        "max_iterations": 150,
    }


def met_pairs(rounds) -> Counter[frozenset[str]]:
    return Counter(
        pair(a, b) for tables in rounds for t in tables for a, b in itertools.combinations(t, 2)
    )


@FAST
@given(seminars())
def test_everyone_sits_exactly_once_per_round_at_tables_within_the_size_rule(case):
    plan = plan_rotations(**case)
    ids = sorted(p.id for p in case["people"])
    n, k = len(ids), case["table_size"]
    assert len(plan.rounds) == case["rounds"]
    for tables in plan.rounds:
        assert sorted(m for t in tables for m in t) == ids
        sizes = [len(t) for t in tables]
        assert len(tables) == math.ceil(n / k)
        assert all(1 <= s <= k for s in sizes)
        assert not sizes or max(sizes) - min(sizes) <= 1


@FAST
@given(seminars())
def test_report_counts_repeats_history_and_forbidden_pairs_exactly(case):
    plan = plan_rotations(**case)
    met = met_pairs(plan.rounds)
    repeats = sum(c - 1 + (p in case["history"]) for p, c in met.items())
    forbidden = sum(c for p, c in met.items() if p in case["forbidden"])
    figs = plan.report.figures
    assert figs.repeated_encounters == repeats
    assert figs.forbidden_pairs_seated_together == forbidden
    assert sum(s.repeated_pairs for s in plan.report.tables) == repeats


@FAST
@given(seminars(), st.integers(1, 5))
def test_forbidden_pairs_never_together_when_they_can_be_split(case, tables):
    # forbidden pairs form a matching and every round has >= 2 tables: dealing people
    # round-robin in pair order splits every pair, so a plan without them always exists.
    people = case["people"]
    k = case["table_size"]
    if len(people) < 2 * k:
        people = [Person(f"x{i:02d}", site="AB"[i % 2]) for i in range(2 * k + tables)]
    ids = [p.id for p in people]
    matching = {pair(ids[i], ids[i + 1]) for i in range(0, len(ids) - 1, 2)}
    plan = plan_rotations(
        people,
        table_size=k,
        rounds=max(1, case["rounds"]),
        forbidden=matching,
        seed=case["seed"],
        max_iterations=300,
    )
    assert plan.report.figures.forbidden_pairs_seated_together == 0
    assert all(met_pairs(plan.rounds)[p] == 0 for p in matching)


@FAST
@given(seminars(max_people=24), st.data())
def test_replan_keeps_the_past_and_seats_exactly_the_people_present(case, data):
    case["rounds"] = max(case["rounds"], 1)
    plan = plan_rotations(**case)
    past = data.draw(st.integers(0, case["rounds"]))
    people = case["people"]
    leavers = data.draw(st.sets(st.sampled_from([p.id for p in people]))) if people else set()
    present = [p for p in people if p.id not in leavers] + [Person("arrival", site="Z")]
    again = replan_rotations(plan, past, present, seed=case["seed"], max_iterations=150)
    assert again.rounds[:past] == plan.rounds[:past]
    assert len(again.rounds) == len(plan.rounds)
    for tables in again.rounds[past:]:
        assert sorted(m for t in tables for m in t) == sorted(p.id for p in present)
    past_met = met_pairs(plan.rounds[:past])
    new_met = met_pairs(again.rounds[past:])
    expected = sum(c - 1 + (p in past_met) for p, c in new_met.items())
    assert again.report.figures.repeated_encounters == expected


@FAST
@given(seminars())
def test_same_input_and_seed_give_the_same_plan(case):
    assert plan_rotations(**case).rounds == plan_rotations(**case).rounds


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.integers(2, 30), st.integers(1, 12))
def test_every_construction_is_a_partition_where_nobody_meets_twice(k, q, rounds):
    built = construct(k * q, k, rounds)
    if built is None:
        return
    _, design = built
    assert 1 <= len(design) <= rounds
    seen: set[tuple[int, int]] = set()
    for tables in design:
        assert sorted(x for t in tables for x in t) == list(range(k * q))
        assert all(len(t) == k for t in tables)
        for t in tables:
            for a, b in itertools.combinations(sorted(t), 2):
                assert (a, b) not in seen
                seen.add((a, b))


@FAST
@given(seminars(), st.integers(0, 2**16))
def test_incremental_swap_costs_match_a_full_recount(case, seed):
    if len(case["people"]) < 2 * case["table_size"] or case["rounds"] == 0:
        return
    _, inst = encode(
        case["people"], case["table_size"], case["rounds"], case["history"], case["forbidden"], 0.5
    )
    rng = np.random.default_rng(seed)
    state = TabuSearch(inst, greedy_tab(inst, rng), rng)
    for _ in range(20):
        r = int(rng.integers(inst.rounds))
        a, b = (int(x) for x in rng.choice(inst.n, 2, replace=False))
        if state.tab[r, a] == state.tab[r, b]:
            continue
        predicted = state.cost + state.deltas(np.array([r]), np.array([a]), state.own_leave())[0, b]
        state.swap(r, a, b)
        assert state.cost == predicted == TabuSearch(inst, state.tab, rng).cost


@settings(max_examples=20, deadline=None)
@given(st.sampled_from([4, 8, 9, 16, 25, 27, 49]), st.data())
def test_finite_field_arithmetic_has_inverses_and_distributes(q, data):
    field = GF(q)
    x, y, z = (data.draw(st.integers(0, q - 1)) for _ in range(3))
    assert field.mul(x, field.add(y, z)) == field.add(field.mul(x, y), field.mul(x, z))
    if x:
        assert sorted(field.mul(x, w) for w in range(q)) == list(range(q))


def test_unavoidable_site_excess_does_not_make_everyone_a_conflict():
    people = [Person(f"m{i:02d}", site="Paris") for i in range(16)]
    _, inst = encode(people, 4, 2, set(), set(), 0.5)
    first = np.repeat(np.arange(4), 4)  # tables {0-3}, {4-7}, ...
    second = np.tile(np.arange(4), 4)  # one member of each first-round table
    state = TabuSearch(inst, np.stack([first, second]), np.random.default_rng(0))
    assert state.site_cost() == 2 * 4 * 2  # every table of 4 holds 2 seats above its cap
    assert len(state.conflicted(state.own_leave())) == 0
