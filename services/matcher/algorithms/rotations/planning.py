"""Seminar rotations (world café, speed dating): tables over several rounds, no repeats.

Public API: :func:`plan_rotations`, :func:`replan_rotations`, :func:`greedy_rotations` (the
naive baseline), :class:`RotationPlan`; figures in ``report``.

How a plan is made
------------------
1. When the instance fits a known resolvable design (``library``: transversal designs over
   GF(q), affine-space lines, MOLS nets and resolvable TDs including orders 10 and 12,
   Kirkman / nearly-Kirkman triple systems and RBIBD(v, 4, 1), partial spreads of GF(p)^m)
   the design gives rounds in which nobody meets twice; a tabu search then places people on
   its points (``relabel``) to mix sites and keep history/forbidden pairs apart without
   losing that property.
2. Otherwise, or when rounds are left over or conflicts remain, a round-by-round greedy (or
   Triska & Musliu's pair greedy when it starts lower) seeds a tabu search over swaps inside
   a round (``search``) that minimises repeats, forbidden pairs and site excess together.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np

from services.matcher.algorithms.model import AlgorithmError, Pair, Person, pair
from services.matcher.algorithms.organisation import Organisation
from services.matcher.algorithms.rotations.engine import decode, encode, planned_seats, search
from services.matcher.algorithms.rotations.greedy import greedy_tab
from services.matcher.algorithms.rotations.report import (
    RotationReport,
    Rounds,
    plan_figures,
    random_seating,
)

__all__ = ["RotationPlan", "greedy_rotations", "plan_rotations", "replan_rotations"]


def default_iterations(n: int, table_size: int) -> int:
    """Move budget used when ``max_iterations`` is ``None``: 12 000 moves for small seminars,
    fewer for big ones (a move costs O(n * table_size)). Sized so that the search ends on its
    budget (deterministic) in about 5 s on a 2-core machine, inside the default 10 s safety net.

    >>> default_iterations(32, 4), default_iterations(250, 10)
    (12000, 2000)
    """
    return min(12_000, max(1_500, 5_000_000 // max(1, n * table_size)))


@dataclass(frozen=True, slots=True)
class RotationPlan:
    """A seating plan: ``rounds[r][t]`` is the sorted tuple of member ids at table ``t``."""

    rounds: Rounds
    report: RotationReport
    table_size: int


def plan_rotations(
    people: Sequence[Person],
    *,
    table_size: int,
    rounds: int,
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
    max_site_share: float = 0.5,
    seed: int = 0,
    time_limit_s: float = 10.0,
    max_iterations: int | None = None,
    use_designs: bool = True,
    everyone: Sequence[Person] = (),
) -> RotationPlan:
    """Seat ``people`` at tables for ``rounds`` rounds so that nobody meets anyone twice.

    Objective (minimised, a weighted sum): forbidden pairs seated together (weight 200),
    people of one management line or team seated together (weight 100: one above the other,
    the same direct manager or the same team, :class:`~..organisation.Organisation`),
    repeated encounters (weight 2) — a pair in ``history`` meeting once counts as one repeat, a
    pair meeting k times in the plan as k - 1 — and seats a site holds above
    ``floor(max_site_share * size)`` (at least 1) at a table (weight 1). Repeats therefore come
    before site mixing: a table of 3 may seat 2 people of one site when that avoids a repeat.

    Hard constraints: every person sits exactly once per round; each round has
    ``ceil(n / table_size)`` tables whose sizes differ by at most one and never exceed
    ``table_size``. Forbidden pairs, same-line-or-team pairs, repeats and site caps are soft but
    heavily weighted (a seminar may not be seatable without them); the report counts what is
    left (``forbidden_pairs_seated_together``, ``same_line_or_team_pairs``; 0 whenever the
    search found a plan without).

    Determinism: the same input and seed give the same plan as long as the search stops on
    its move budget ``max_iterations`` (default :func:`default_iterations`) or at a proven
    optimum; ``time_limit_s`` is a safety net only, and ``report.stopped_by == "time_limit"``
    says when it cut the search short (then the plan may depend on the machine's speed).

    Complexity: designs are built in O(n * rounds) (plus a bounded spread search); each tabu
    move costs O(n * table_size) numpy work, each placement move O(rounds * n).

    Parameters
    ----------
    people : the participants (ids unique); only ``id`` and ``site`` are used.
    table_size : largest table (>= 2).
    rounds : number of rounds (>= 0).
    history, forbidden : pairs that already met / must not sit together; pairs naming
        someone absent are ignored.
    max_site_share : largest share of one site at a table (in (0, 1]).
    seed : seeds every random choice.
    time_limit_s : safety net on the wall-clock time (see Determinism).
    max_iterations : move budget of each search (``None``: :func:`default_iterations`).
    use_designs : ``False`` skips the constructions (to measure the search alone).
    everyone : people known beyond the participants, for the organisation graph (managers
        who are members but not at the seminar); ``people`` themselves are always included.

    Raises
    ------
    AlgorithmError : bad parameters or duplicate ids.

    References
    ----------
    .. [1] I. Dotú, P. Van Hentenryck, "Scheduling social golfers locally", CPAIOR 2005.
    .. [2] M. Triska, N. Musliu, "An effective greedy heuristic for the social golfer
       problem", Ann. Oper. Res. 194 (2012).
    .. [3] C. J. Colbourn, J. H. Dinitz, *Handbook of Combinatorial Designs*, 2nd ed., 2007.

    Examples
    --------
    >>> people = [Person(f"p{i}", site="ABCD"[i % 4]) for i in range(32)]
    >>> plan = plan_rotations(people, table_size=4, rounds=9)
    >>> plan.report.figures.repeated_encounters, plan.report.figures.max_site_share
    (0, 0.5)
    >>> plan.report.random_baseline.repeated_encounters > 0
    True
    """
    return _plan(
        people,
        table_size,
        rounds,
        set(history),
        set(forbidden),
        max_site_share,
        seed,
        time_limit_s,
        max_iterations,
        first_round=0,
        use_designs=use_designs,
        everyone=everyone,
    )


def replan_rotations(
    plan: RotationPlan,
    past_rounds: int,
    present: Sequence[Person],
    *,
    table_size: int | None = None,
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
    max_site_share: float = 0.5,
    seed: int = 0,
    time_limit_s: float = 10.0,
    max_iterations: int | None = None,
    everyone: Sequence[Person] = (),
) -> RotationPlan:
    """Re-plan the rounds after ``past_rounds`` for the people ``present`` now.

    Rounds ``[0, past_rounds)`` are kept as they are; every pair they seated together joins
    ``history``; the remaining ``len(plan.rounds) - past_rounds`` rounds are planned with
    :func:`plan_rotations` for ``present`` (leavers dropped, arrivals added). The search first
    tries to keep everyone's planned seat (arrivals fill the seats of leavers greedily, then a
    tabu search repairs), which is what it returns when that reaches the optimum; otherwise it
    also plans from scratch and keeps the better plan. The returned report covers the
    re-planned rounds only (numbered from ``past_rounds``).

    Objective and hard constraints: those of :func:`plan_rotations` over the remaining rounds,
    the pairs seated together in the kept rounds counting as ``history``.

    Complexity: O(past_rounds * n * table_size) to collect the pairs already met, then one
    tabu search from the planned seats and, unless it proves the optimum, one search of
    :func:`plan_rotations` from scratch (each within ``max_iterations`` moves).

    Examples
    --------
    >>> people = [Person(f"p{i}", site="AB"[i % 2]) for i in range(12)]
    >>> plan = plan_rotations(people, table_size=4, rounds=3, max_iterations=500)
    >>> now = [*people[2:], Person("new", site="A")]
    >>> again = replan_rotations(plan, 1, now, max_iterations=500)
    >>> again.rounds[0] == plan.rounds[0], sorted(m for t in again.rounds[2] for m in t)[-1]
    (True, 'p9')
    """
    if not 0 <= past_rounds <= len(plan.rounds):
        raise AlgorithmError(f"past_rounds must be within 0..{len(plan.rounds)}")
    past = plan.rounds[:past_rounds]
    met = set(history) | {
        pair(a, b)
        for tables in past
        for table in tables
        for i, a in enumerate(table)
        for b in table[i + 1 :]
    }
    new = _plan(
        present,
        table_size or plan.table_size,
        len(plan.rounds) - past_rounds,
        met,
        set(forbidden),
        max_site_share,
        seed,
        time_limit_s,
        max_iterations,
        first_round=past_rounds,
        planned=plan.rounds[past_rounds:],
        everyone=everyone,
    )
    return RotationPlan([*past, *new.rounds], new.report, new.table_size)


def greedy_rotations(
    people: Sequence[Person],
    *,
    table_size: int,
    rounds: int,
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
    max_site_share: float = 0.5,
    seed: int = 0,
) -> Rounds:
    """Naive round-by-round greedy (the benchmark baseline; also the tabu search's start).

    Each round, people in random order take the open table where they meet the fewest people
    already met (weight 2, forbidden partners 200), a site at its cap counting 1.
    O(R * n * (n + t)).

    >>> people = [Person(f"p{i}", site="AB"[i % 2]) for i in range(8)]
    >>> [len(t) for t in greedy_rotations(people, table_size=4, rounds=2)[1]]
    [4, 4]
    """
    same_line = Organisation(people).conflict_pairs([p.id for p in people])
    ids, inst = encode(
        people, table_size, rounds, set(history), set(forbidden), max_site_share, same_line
    )
    if not ids:
        return [[] for _ in range(rounds)]
    return decode(greedy_tab(inst, np.random.default_rng(seed)), ids, len(inst.sizes))


def _plan(
    people: Sequence[Person],
    table_size: int,
    rounds: int,
    history: set[Pair],
    forbidden: set[Pair],
    max_site_share: float,
    seed: int,
    time_limit_s: float,
    max_iterations: int | None,
    first_round: int,
    use_designs: bool = True,
    planned: Rounds | None = None,
    everyone: Sequence[Person] = (),
) -> RotationPlan:
    if time_limit_s <= 0 or (max_iterations is not None and max_iterations < 0):
        raise AlgorithmError("time_limit_s must be > 0 and max_iterations >= 0")
    same_line = Organisation([*everyone, *people]).conflict_pairs([p.id for p in people])
    ids, inst = encode(people, table_size, rounds, history, forbidden, max_site_share, same_line)
    if max_iterations is None:
        max_iterations = default_iterations(inst.n, table_size)
    deadline = time.monotonic() + time_limit_s
    rng = np.random.default_rng(seed)
    if inst.n == 0 or rounds == 0:
        tab, method, its = np.zeros((rounds, inst.n), dtype=np.int64), "empty", 0
        stopped = "optimum"
    else:
        preset = None if planned is None else planned_seats(inst, ids, planned)
        tab, method, its, stopped = search(
            inst, table_size, rng, max_iterations, deadline, use_designs, preset
        )
    seating = decode(tab, ids, len(inst.sizes))
    sites = {p.id: p.site for p in people}
    kwargs = {
        "history": history,
        "forbidden": forbidden,
        "same_line": same_line,
        "max_site_share": max_site_share,
        "first_round": first_round,
    }
    figures, stats = plan_figures(seating, sites, **kwargs)  # type: ignore[arg-type]
    baseline, _ = plan_figures(random_seating(ids, table_size, rounds, seed), sites, **kwargs)  # type: ignore[arg-type]
    sizes = [[len(t) for t in tables] for tables in seating]
    report = RotationReport(sizes, figures, baseline, stats, method, its, stopped)
    return RotationPlan(seating, report, table_size)
