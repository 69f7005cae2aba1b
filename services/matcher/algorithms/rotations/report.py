"""Quality figures of a seating plan, and the table-size and site-share rules they use.

Everything here reads a finished plan (round -> tables -> member ids); nothing optimises.
The same :func:`plan_figures` is applied to the optimised plan and to a random seating of the
same people, so HR can compare both (see :class:`RotationReport`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from services.matcher.algorithms.model import Pair, pair

#: round -> tables -> member ids
Rounds = list[list[tuple[str, ...]]]


def table_sizes(n: int, table_size: int) -> list[int]:
    """Sizes of the ``ceil(n / table_size)`` tables of one round, largest first.

    Rule: as few tables as possible, none above ``table_size``, sizes differing by at most one
    (so 33 people at tables of 4 give 6 tables of 4 and 3 of 3).

    >>> table_sizes(33, 4)
    [4, 4, 4, 4, 4, 4, 3, 3, 3]
    >>> table_sizes(0, 4)
    []
    """
    if n <= 0:
        return []
    t = math.ceil(n / table_size)
    base, extra = divmod(n, t)
    return [base + 1] * extra + [base] * (t - extra)


def site_cap(size: int, max_site_share: float) -> int:
    """Most people of one site a table of ``size`` may seat: ``floor(share * size)``, at least 1.

    >>> site_cap(10, 0.5), site_cap(3, 0.5), site_cap(1, 0.5)
    (5, 1, 1)
    """
    return max(1, math.floor(max_site_share * size + 1e-9))


@dataclass(frozen=True, slots=True)
class TableStats:
    """Figures of one table of one round.

    ``score`` is the share of the table's pairs that are *new* encounters between people of
    *different* sites (when the whole population works on one site, any new pair counts).
    """

    round: int
    table: int
    size: int
    site_count: int
    largest_site_share: float
    repeated_pairs: int
    forbidden_pairs: int
    same_line_or_team_pairs: int
    score: float


@dataclass(frozen=True, slots=True)
class RotationFigures:
    """Summary figures of a plan.

    Attributes
    ----------
    repeated_encounters : times two people sit together although they already met (in the
        history or in an earlier round of the plan).
    forbidden_pairs_seated_together : (forbidden pair, round) occurrences at one table.
    same_line_or_team_pairs : (pair of one management line or team, round) occurrences at
        one table.
    max_site_share : largest share of one site at any table.
    tables_over_site_share : tables where one site holds more than :func:`site_cap` seats.
    worst_table_score : lowest :attr:`TableStats.score` (1.0 for an empty plan).
    mean_table_score : mean table score.
    mean_new_colleagues : distinct people met for the first time, averaged over members.
    """

    repeated_encounters: int
    forbidden_pairs_seated_together: int
    same_line_or_team_pairs: int
    max_site_share: float
    tables_over_site_share: int
    worst_table_score: float
    mean_table_score: float
    mean_new_colleagues: float


@dataclass(frozen=True, slots=True)
class RotationReport:
    """What HR sees next to a plan: figures, per-table detail and a random baseline.

    ``random_baseline`` gives the same figures for a uniformly random seating of the same
    people (same table sizes, same seed), i.e. what the optimisation bought.
    ``method`` names the construction and/or search used; ``stopped_by`` is ``"optimum"``
    (nothing left to improve), ``"iterations"`` (budget spent) or ``"time_limit"``.
    """

    table_sizes: list[list[int]]
    figures: RotationFigures
    random_baseline: RotationFigures
    tables: list[TableStats] = field(repr=False)
    method: str = ""
    iterations: int = 0
    stopped_by: str = "optimum"


def plan_figures(
    rounds: Rounds,
    sites: Mapping[str, str],
    *,
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
    same_line: Collection[Pair] = (),
    max_site_share: float = 0.5,
    first_round: int = 0,
) -> tuple[RotationFigures, list[TableStats]]:
    """Compute the figures of ``rounds``; ``first_round`` numbers the rounds in the stats.

    Complexity: O(sum over tables of size^2).

    >>> rounds = [[("a", "b"), ("c", "d")], [("a", "b"), ("c", "d")]]
    >>> figs, _ = plan_figures(rounds, {"a": "P", "b": "L", "c": "P", "d": "L"})
    >>> figs.repeated_encounters, figs.max_site_share, figs.worst_table_score
    (2, 0.5, 0.0)
    """
    met: set[Pair] = set(history)
    apart = (set(forbidden), set(same_line))
    one_site = len(set(sites.values())) <= 1
    new_met: Counter[str] = Counter()
    stats = []
    for r, tables in enumerate(rounds):
        seen_now: list[Pair] = []
        for t, table in enumerate(tables):
            keys = [pair(a, b) for a, b in combinations(table, 2)]  # built once per pair
            stats.append(
                _table_stats(
                    (r + first_round, t),
                    table,
                    keys,
                    sites,
                    met,
                    apart,
                    one_site,
                    max_site_share,
                    new_met,
                )
            )
            seen_now.extend(keys)
        met.update(seen_now)
    people = {m for tables in rounds for table in tables for m in table}
    scores = [s.score for s in stats]
    figs = RotationFigures(
        repeated_encounters=sum(s.repeated_pairs for s in stats),
        forbidden_pairs_seated_together=sum(s.forbidden_pairs for s in stats),
        same_line_or_team_pairs=sum(s.same_line_or_team_pairs for s in stats),
        max_site_share=max((s.largest_site_share for s in stats), default=0.0),
        tables_over_site_share=sum(
            s.largest_site_share * s.size > site_cap(s.size, max_site_share) + 1e-9 for s in stats
        ),
        worst_table_score=min(scores, default=1.0),
        mean_table_score=sum(scores) / len(scores) if scores else 1.0,
        mean_new_colleagues=sum(new_met.values()) / len(people) if people else 0.0,
    )
    return figs, stats


def _table_stats(
    where: tuple[int, int],
    table: tuple[str, ...],
    keys: list[Pair],
    sites: Mapping[str, str],
    met: set[Pair],
    apart: tuple[set[Pair], set[Pair]],
    one_site: bool,
    max_site_share: float,
    new_met: Counter[str],
) -> TableStats:
    counts = Counter(sites[m] for m in table)
    repeated = forbidden_n = same_line_n = good = 0
    for (a, b), key in zip(combinations(table, 2), keys, strict=True):
        forbidden_n += key in apart[0]
        same_line_n += key in apart[1]
        if key in met:
            repeated += 1
            continue
        new_met[a] += 1
        new_met[b] += 1
        good += one_site or sites[a] != sites[b]
    n_pairs = len(table) * (len(table) - 1) // 2
    return TableStats(
        round=where[0],
        table=where[1],
        size=len(table),
        site_count=len(counts),
        largest_site_share=max(counts.values()) / len(table) if table else 0.0,
        repeated_pairs=repeated,
        forbidden_pairs=forbidden_n,
        same_line_or_team_pairs=same_line_n,
        score=good / n_pairs if n_pairs else 1.0,
    )


def random_seating(ids: Sequence[str], table_size: int, rounds: int, seed: int) -> Rounds:
    """A uniformly random seating of ``ids`` per round (the HR baseline).

    >>> [len(t) for t in random_seating(list("abcde"), 2, 1, seed=0)[0]]
    [2, 2, 1]
    """
    rng = np.random.default_rng(seed)
    sizes = table_sizes(len(ids), table_size)
    plan: Rounds = []
    for _ in range(rounds):
        order = [ids[i] for i in rng.permutation(len(ids))]
        tables, start = [], 0
        for size in sizes:
            tables.append(tuple(sorted(order[start : start + size])))
            start += size
        plan.append(tables)
    return plan
