"""Minimal-change repair of a published seating plan after departures.

The rotations already held stay as they were. For the rotations to come, two candidates:
the plan with the departed taken off their tables and, where the table-size rule then
breaks, as few people moved as it needs (``"drop"`` when nobody moves, else
``"rebalance"``), and :func:`~.planning.replan_rotations` for the people still there
(which starts from everyone's planned seat). The first is kept whenever it is no worse
on the plan's objective than the plan people were told; otherwise the better of the two.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from services.matcher.algorithms.model import Pair, Person
from services.matcher.algorithms.organisation import Organisation
from services.matcher.algorithms.rotations.planning import RotationPlan, replan_rotations
from services.matcher.algorithms.rotations.report import (
    RotationFigures,
    Rounds,
    plan_figures,
)
from services.matcher.algorithms.rotations.reseat import reseat

__all__ = ["RotationsRepair", "repair_rotations"]


@dataclass(frozen=True, slots=True)
class RotationsRepair:
    """The repaired plan (every rotation, the held ones unchanged) and who changed.

    ``method`` is ``"drop"`` (the departed taken off their tables), ``"rebalance"`` (and
    a few people moved for the size rule) or ``"replan"``;
    ``changed`` are the people whose seats or tablemates changed in a rotation to come.
    """

    rounds: Rounds
    figures: RotationFigures
    method: str
    changed: frozenset[str]


def penalty(f: RotationFigures) -> tuple[int, ...]:
    """The plan objective's terms, most important first (as weighted by the planner).

    >>> from services.matcher.algorithms.rotations.report import plan_figures
    >>> penalty(plan_figures([[("a", "b")]], {"a": "P", "b": "P"})[0])
    (0, 0, 0, 1)
    """
    return (
        f.forbidden_pairs_seated_together,
        f.same_line_or_team_pairs,
        f.repeated_encounters,
        f.tables_over_site_share,
    )


def repair_rotations(
    rounds: Rounds,
    held: int,
    departed: Collection[str],
    people: Sequence[Person],
    *,
    table_size: int,
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
    max_site_share: float = 0.5,
    seed: int = 0,
    max_iterations: int | None = None,
    time_limit_s: float = 10.0,
) -> RotationsRepair:
    """Repair ``rounds`` after ``departed`` left, when the first ``held`` rotations took place.

    Objective: the fewest people whose seats change, as long as the lexicographic
    :func:`penalty` of the rotations to come (forbidden pairs, same line or team, repeated
    encounters, tables over the site share) is no worse than the announced plan's; else
    the lower penalty.

    Hard constraints: rotations ``[0, held)`` unchanged; in every rotation to come
    everyone still there sits once, at ``ceil(n / table_size)`` tables whose sizes
    differ by at most one. ``history`` must not hold this plan's own pairs (the held
    rotations' pairs are added here).

    Complexity: O(rounds * n * table_size) for the drop and the moves, plus one
    :func:`replan_rotations` when that is worse than the announced plan.

    References
    ----------
    Dotú & Van Hentenryck, "Scheduling social golfers locally" (2005), the search that
    :func:`replan_rotations` runs from the planned seats.

    Examples
    --------
    >>> plan = [[("a", "b"), ("c", "d"), ("e", "f")], [("a", "c"), ("b", "e"), ("d", "f")]]
    >>> ps = [Person(x, "PL"[i % 2]) for i, x in enumerate("abcdef")]
    >>> r = repair_rotations(plan, 1, {"f"}, ps, table_size=2, max_site_share=1.0)
    >>> r.method, r.rounds[1], sorted(r.changed)
    ('drop', [('a', 'c'), ('b', 'e'), ('d',)], ['d'])
    """
    gone = set(departed)
    present = [p for p in people if p.id not in gone and _seated(p.id, rounds)]
    ids = {p.id for p in present}
    sites = {p.id: p.site for p in people}
    met = set(history) | _pairs(rounds[:held])
    same_line = Organisation(people).conflict_pairs(ids)
    args = {"history": met, "forbidden": forbidden, "same_line": same_line,
            "max_site_share": max_site_share, "first_round": held}  # fmt: skip
    before, _ = plan_figures(rounds[held:], sites, **args)  # type: ignore[arg-type]
    dropped, touched = _drop(rounds[held:], ids)
    weights = {**dict.fromkeys(met, 2), **dict.fromkeys(same_line, 100),
               **dict.fromkeys(forbidden, 200)}  # fmt: skip
    kept = reseat(dropped, table_size, len(ids), weights, sites, max_site_share, touched)
    choice, figures, method = None, before, "replan"
    if kept is not None:
        choice, moves = kept
        figures, _ = plan_figures(choice, sites, **args)  # type: ignore[arg-type]
        method = "rebalance" if moves else "drop"
    if choice is None or penalty(figures) > penalty(before):
        plan = replan_rotations(
            RotationPlan(rounds, None, table_size),  # type: ignore[arg-type]
            held, present, history=history, forbidden=forbidden,
            max_site_share=max_site_share, seed=seed, time_limit_s=time_limit_s,
            max_iterations=max_iterations, everyone=people,
        )  # fmt: skip
        if choice is None or penalty(plan.report.figures) < penalty(figures):
            choice, figures, method = plan.rounds[held:], plan.report.figures, "replan"
    new = [*rounds[:held], *choice]
    return RotationsRepair(new, figures, method, frozenset(_moved(rounds, new, held) - gone))


def _drop(rounds: Rounds, ids: set[str]) -> tuple[Rounds, list[set[int]]]:
    """``rounds`` with only ``ids`` seated (a table may be left empty, in its place), and
    per rotation the tables that lost someone."""
    dropped = [[tuple(m for m in t if m in ids) for t in tables] for tables in rounds]
    touched = [
        {i for i, t in enumerate(tables) if len(t) < len(rounds[r][i])}
        for r, tables in enumerate(dropped)
    ]
    return dropped, touched


def _seated(member: str, rounds: Rounds) -> bool:
    return any(member in t for r in rounds for t in r)


def _pairs(rounds: Rounds) -> set[Pair]:
    return {frozenset((a, b)) for r in rounds for t in r for a in t for b in t if a < b}


def _seats(rounds: Rounds, held: int) -> dict[str, list[tuple[int, int, tuple[str, ...]]]]:
    out: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
    for r, tables in enumerate(rounds[held:], start=held):
        for t, table in enumerate(tables):
            for m in table:
                out.setdefault(m, []).append((r, t, tuple(sorted(set(table) - {m}))))
    return out


def _moved(old: Rounds, new: Rounds, held: int) -> set[str]:
    """People whose table number or tablemates differ in some rotation to come."""
    before, after = _seats(old, held), _seats(new, held)
    return {m for m in set(before) | set(after) if before.get(m) != after.get(m)}
