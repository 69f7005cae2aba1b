"""The rotation planner's sparse fast paths agree with the dense formulations they replace.

Issue 14: at 10,000 people the planner spent most of its CPU on ``n x n`` matrices (the
greedy's meeting matrix, a :class:`TabuSearch` built only to read a plan's cost). The
sparse versions must give the same cost and the same seats, draw for draw.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from services.matcher.algorithms.organisation import Organisation
from services.matcher.algorithms.rotations.engine import encode
from services.matcher.algorithms.rotations.greedy import greedy_tab
from services.matcher.algorithms.rotations.search import W_SITE, Instance, TabuSearch, plan_cost
from tests.unit.algorithms.test_rotations_properties import seminars

FAST = settings(max_examples=40, deadline=None)


def dense_greedy(inst: Instance, rng: np.random.Generator, preset: np.ndarray | None) -> np.ndarray:
    """The greedy's rule over the full meeting matrix, table by table (the reference)."""
    n, t = inst.n, len(inst.sizes)
    out = np.zeros((inst.rounds, n), dtype=np.int64)
    met = inst.base[:n, :n].astype(np.int64)
    for r in range(inst.rounds):
        seat = np.full(n, -1) if preset is None else preset[r].copy()
        for a in rng.permutation(n):
            if seat[a] >= 0:
                continue
            scores = []
            for table in range(t):
                mates = np.flatnonzero(seat == table)
                if len(mates) >= inst.sizes[table]:
                    scores.append(np.inf)
                    continue
                clash = sum(int(inst.weight[a, b]) for b in mates if met[a, b] >= 1)
                full = (inst.site[mates] == inst.site[a]).sum() >= inst.caps[table]
                scores.append(clash + W_SITE * int(full))
            seat[a] = int(np.argmin(scores))
        out[r] = seat
        met += seat[:, None] == seat[None, :]
    return out


def _instance(case) -> Instance:
    people = case["people"]
    same_line = Organisation(people).conflict_pairs([p.id for p in people])
    _, inst = encode(
        people, case["table_size"], case["rounds"], case["history"], case["forbidden"], 0.5,
        same_line,
    )  # fmt: skip
    return inst


@FAST
@given(seminars(), st.integers(0, 2**16))
def test_a_plans_cost_is_the_tabu_searchs_cost_without_its_matrices(case, seed):
    inst = _instance(case)
    if inst.n == 0 or inst.rounds == 0:
        return
    rng = np.random.default_rng(seed)
    seats = np.repeat(np.arange(len(inst.sizes)), inst.sizes)
    tab = np.stack([seats[rng.permutation(inst.n)] for _ in range(inst.rounds)])  # a random plan
    assert plan_cost(inst, tab) == TabuSearch(inst, tab, rng).cost
    tab = greedy_tab(inst, rng)
    assert plan_cost(inst, tab) == TabuSearch(inst, tab, rng).cost


@FAST
@given(seminars(), st.integers(0, 2**16), st.booleans())
def test_the_greedy_seats_everyone_as_the_dense_greedy_did(case, seed, with_preset):
    inst = _instance(case)
    if inst.n == 0 or inst.rounds == 0:
        return
    preset = None
    if with_preset:  # a few planned seats kept, as a re-plan passes them
        preset = np.full((inst.rounds, inst.n), -1, dtype=np.int64)
        preset[:, : min(inst.n, int(inst.sizes[0]))] = 0
    fast = greedy_tab(inst, np.random.default_rng(seed), preset=preset)
    assert np.array_equal(fast, dense_greedy(inst, np.random.default_rng(seed), preset))
