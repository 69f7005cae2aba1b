"""Quality figures of a partition into practice-exchange groups.

The same figures are computed for the optimised groups and for baselines (a random
assignment of the same population, k-means then chop) so HR sees what the
optimisation bought.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .groups_model import Group
from .groups_vectors import interest_vectors
from .model import Pair, Person, manager_chains, pair


@dataclass(frozen=True, slots=True)
class GroupsQuality:
    """Figures of one partition (tuples are per group, in group order).

    ``cohesion`` is the mean pairwise cosine of the members' interest vectors
    (:func:`.groups_vectors.interest_vectors`); ``sites_upper_bound`` the largest mean
    number of distinct sites per group any partition with these sizes can reach
    (:func:`sites_upper_bound`); ``seniority_range`` the max minus min over groups of
    the mean seniority in years; ``newcomer_share_spread`` the same for the newcomer
    share.  A group's ``score`` is the mean of its cohesion, its distinct sites over
    ``min(size, number of sites)`` and ``1 - |mean seniority - population mean| / std``
    (floored at 0); ``worst_group_score`` is the lowest one (CATME's max-min view).
    """

    sizes: tuple[int, ...]
    site_counts: tuple[int, ...]
    largest_site_shares: tuple[float, ...]
    cohesion: tuple[float, ...]
    cohesion_mean: float
    sites_per_group: float
    sites_upper_bound: float
    seniority_means: tuple[float, ...]
    seniority_range: float
    newcomer_shares: tuple[float, ...]
    newcomer_share_spread: float
    facilitator_coverage: float
    groups_without_facilitator: tuple[int, ...]
    repeated_pairs: tuple[Pair, ...]
    manager_pairs: tuple[Pair, ...]
    scores: tuple[float, ...]
    worst_group_score: float


@dataclass(frozen=True, slots=True)
class GroupsReport:
    """Quality of the proposal and of a random assignment of the same population.

    ``notes`` says in words what could not be met (e.g. too few facilitators).
    """

    quality: GroupsQuality
    random: GroupsQuality
    notes: tuple[str, ...] = ()


def sites_upper_bound(sizes: Sequence[int], site_sizes: Sequence[int]) -> float:
    """Largest achievable mean number of distinct sites per group.

    It is the max-flow value of groups (capacity = size) x sites (capacity = number of
    members there) with unit edges, divided by the number of groups; by max-flow /
    min-cut on this complete bipartite graph it is
    ``min over u in 0..S of [sum of the S-u smallest site sizes + sum_g min(size_g, u)]``.
    Any flow extends to a full assignment, so the bound is attained by some partition.
    Complexity: O(S log S + S * k).

    >>> sites_upper_bound([8] * 1250, [3500, 2500, 1800, 1200, 1000])
    4.76
    >>> sites_upper_bound([3, 3], [5, 1])
    1.5
    """
    if not sizes:
        return 0.0
    s = sorted(site_sizes)
    g = np.asarray(sizes)
    best = min(sum(s[: len(s) - u]) + int(np.minimum(g, u).sum()) for u in range(len(s) + 1))
    return round(best / len(sizes), 10)


def assess_groups(
    people: Sequence[Person], groups: Sequence[Group], history: Collection[Pair] = ()
) -> GroupsQuality:
    """Compute :class:`GroupsQuality` of ``groups`` (members looked up in ``people``).

    >>> ps = [Person(str(i), "PL"[i % 2], function="AD", seniority_years=i) for i in range(4)]
    >>> g = [Group(("0", "1"), None, "", ("L", "P")), Group(("2", "3"), "2", "", ("L", "P"))]
    >>> q = assess_groups(ps, g)
    >>> q.cohesion_mean, q.sites_per_group, q.seniority_range, q.groups_without_facilitator
    (1.0, 2.0, 2.0, (0,))
    """
    placed = [pid for g in groups for pid in g.members]
    by_id = {p.id: p for p in people}
    members = [by_id[pid] for pid in placed]
    index = {pid: i for i, pid in enumerate(placed)}
    return quality_of(members, index, interest_vectors(members), groups, history, people)


def quality_of(
    members: Sequence[Person],
    index: Mapping[str, int],
    vectors: sparse.csr_matrix,
    groups: Sequence[Group],
    history: Collection[Pair],
    everyone: Sequence[Person],
) -> GroupsQuality:
    """:func:`assess_groups` with the interest vectors already computed (row per member)."""
    sen = np.array([p.seniority_years for p in members], dtype=float)
    mu, sd = (float(sen.mean()), float(sen.std())) if len(sen) else (0.0, 0.0)
    n_sites = len({p.site for p in members})
    hist = {h for h in history if len(h) == 2}
    chains = manager_chains(everyone)
    rows: list[tuple[float, ...]] = []
    repeated: list[Pair] = []
    managers: list[Pair] = []
    for g in groups:
        idx = [index[m] for m in g.members]
        ps = [members[i] for i in idx]
        sites = Counter(p.site for p in ps)
        size = len(ps)
        coh = _cohesion(vectors[idx])
        mean_sen = float(sen[idx].mean())
        balance = 1.0 if sd == 0 else max(0.0, 1.0 - abs(mean_sen - mu) / sd)
        score = (coh + len(sites) / min(size, n_sites) + balance) / 3.0
        newcomers = sum(p.newcomer for p in ps) / size
        rows.append((len(sites), max(sites.values()) / size, coh, mean_sen, newcomers, score))
        ids = set(g.members)
        for p in ps:
            managers.extend(pair(p.id, b) for b in chains.get(p.id, ()) if b in ids)
        repeated.extend(
            pair(a, b)
            for i, a in enumerate(g.members)
            for b in g.members[i + 1 :]
            if pair(a, b) in hist
        )
    cols = list(zip(*rows, strict=True)) if rows else [()] * 6
    sizes = tuple(len(g.members) for g in groups)
    site_sizes = list(Counter(p.site for p in members).values())
    without = tuple(i for i, g in enumerate(groups) if g.facilitator is None)
    return GroupsQuality(
        sizes=sizes,
        site_counts=tuple(int(c) for c in cols[0]),
        largest_site_shares=tuple(cols[1]),
        cohesion=tuple(cols[2]),
        cohesion_mean=float(np.mean(cols[2])) if rows else 0.0,
        sites_per_group=float(np.mean(cols[0])) if rows else 0.0,
        sites_upper_bound=sites_upper_bound(sizes, site_sizes),
        seniority_means=tuple(cols[3]),
        seniority_range=_spread(cols[3]),
        newcomer_shares=tuple(cols[4]),
        newcomer_share_spread=_spread(cols[4]),
        facilitator_coverage=(1.0 - len(without) / len(groups)) if groups else 1.0,
        groups_without_facilitator=without,
        repeated_pairs=_sorted_pairs(repeated),
        manager_pairs=_sorted_pairs(managers),
        scores=tuple(cols[5]),
        worst_group_score=min(cols[5]) if rows else 0.0,
    )


def _cohesion(rows: sparse.csr_matrix) -> float:
    """Mean pairwise cosine; 1.0 for a group of one (nothing to disagree with)."""
    n = rows.shape[0]
    if n < 2:
        return 1.0
    total = np.asarray(rows.sum(axis=0)).ravel()
    self_sim = float(rows.multiply(rows).sum())
    return float((total @ total - self_sim) / (n * (n - 1)))


def _spread(values: Sequence[float]) -> float:
    return float(max(values) - min(values)) if values else 0.0


def _sorted_pairs(pairs: list[Pair]) -> tuple[Pair, ...]:
    return tuple(sorted(set(pairs), key=lambda p: tuple(sorted(p))))
