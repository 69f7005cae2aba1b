"""Quality figures of a partition into practice-exchange groups.

The same figures are computed for the optimised groups and for baselines (a random
assignment of the same population, k-means then chop) so HR sees what the
optimisation bought.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from ..model import Pair, Person, pair
from ..organisation import Organisation
from .model import Group
from .vectors import interest_vectors

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class GroupsQuality:
    """Figures of one partition (tuples are per group, in group order).

    ``cohesion`` is the mean pairwise cosine of the members' interest vectors
    (:func:`.vectors.interest_vectors`); ``sites_upper_bound`` the largest mean
    number of distinct sites per group any partition with these sizes can reach
    (:func:`sites_upper_bound`); ``seniority_range`` the max minus min over groups of
    the mean seniority in years; ``newcomer_share_spread`` the same for the newcomer
    share.  A group's ``score`` is the mean of its cohesion, its distinct sites over
    ``min(size, number of sites)`` and ``1 - |mean seniority - population mean| / std``
    (floored at 0); ``worst_group_score`` is the lowest one (CATME's max-min view).
    ``repeated_pairs``, ``same_line_or_team_pairs`` and ``forbidden_pairs`` list the pairs
    sharing a group that the hard constraints exclude (empty for :func:`form_groups`).
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
    same_line_or_team_pairs: tuple[Pair, ...]
    forbidden_pairs: tuple[Pair, ...]
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
    people: Sequence[Person],
    groups: Sequence[Group],
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
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
    vectors = interest_vectors(members) if members else np.zeros((0, 1))
    return quality_of(members, index, vectors, groups, history, people, forbidden)


def quality_of(
    members: Sequence[Person],
    index: Mapping[str, int],
    vectors: FloatArray | sparse.csr_matrix,
    groups: Sequence[Group],
    history: Collection[Pair],
    everyone: Sequence[Person],
    forbidden: Collection[Pair] = (),
    same_line: Collection[Pair] | None = None,
) -> GroupsQuality:
    """:func:`assess_groups` with the interest vectors already computed.

    ``vectors[index[id]]`` is the interest vector of member ``id`` of ``members``.
    ``same_line``, when given, is every same-line-or-team pair among ``members``
    (:meth:`~..organisation.Organisation.conflict_pairs`, which the caller usually has
    already): the organisation graph of ``everyone`` is then not rebuilt.
    """
    if not groups:
        return _empty_quality()
    if isinstance(vectors, sparse.csr_matrix):
        vectors = vectors.toarray()
    dense = np.asarray(vectors, dtype=float)
    rows = np.array([index[m] for g in groups for m in g.members], dtype=np.intp)
    sizes = np.array([len(g.members) for g in groups])
    label = np.repeat(np.arange(len(groups)), sizes)
    ps = [members[i] for i in rows]
    sen = np.array([p.seniority_years for p in ps], dtype=float)
    mu, sd = float(sen.mean()), float(sen.std())
    site_names, site_code = np.unique([p.site for p in ps], return_inverse=True)
    counts = np.zeros((len(groups), len(site_names)))
    np.add.at(counts, (label, site_code), 1.0)
    site_counts = (counts > 0).sum(axis=1)
    v = dense[rows]
    sums = np.zeros((len(groups), v.shape[1]))
    np.add.at(sums, label, v)
    self_sim = np.bincount(label, (v * v).sum(axis=1), minlength=len(groups))
    pairs = np.maximum(sizes * (sizes - 1), 1)
    # a group of one has nothing to disagree with: cohesion 1
    coh = np.where(sizes > 1, ((sums * sums).sum(axis=1) - self_sim) / pairs, 1.0)
    means = np.bincount(label, sen, minlength=len(groups)) / sizes
    flags = np.array([float(p.newcomer) for p in ps])
    newc = np.bincount(label, flags, minlength=len(groups)) / sizes
    balance = np.ones(len(groups)) if sd == 0 else np.maximum(0.0, 1 - np.abs(means - mu) / sd)
    scores = (coh + site_counts / np.minimum(sizes, len(site_names)) + balance) / 3.0
    if same_line is None:
        same_line = Organisation(everyone).conflict_pairs(index)
    repeated, org, banned = _excluded_pairs(groups, (history, same_line, forbidden))
    without = tuple(i for i, g in enumerate(groups) if g.facilitator is None)
    return GroupsQuality(
        sizes=tuple(int(s) for s in sizes),
        site_counts=tuple(int(c) for c in site_counts),
        largest_site_shares=tuple(float(x) for x in counts.max(axis=1) / sizes),
        cohesion=tuple(float(x) for x in coh),
        cohesion_mean=float(coh.mean()),
        sites_per_group=float(site_counts.mean()),
        sites_upper_bound=sites_upper_bound(
            sizes.tolist(), counts.sum(axis=0).astype(int).tolist()
        ),
        seniority_means=tuple(float(x) for x in means),
        seniority_range=float(means.max() - means.min()),
        newcomer_shares=tuple(float(x) for x in newc),
        newcomer_share_spread=float(newc.max() - newc.min()),
        facilitator_coverage=1.0 - len(without) / len(groups),
        groups_without_facilitator=without,
        repeated_pairs=repeated,
        same_line_or_team_pairs=org,
        forbidden_pairs=banned,
        scores=tuple(float(x) for x in scores),
        worst_group_score=float(scores.min()),
    )


def _excluded_pairs(
    groups: Sequence[Group],
    apart: tuple[Collection[Pair], Collection[Pair], Collection[Pair]],
) -> tuple[tuple[Pair, ...], tuple[Pair, ...], tuple[Pair, ...]]:
    """History pairs, same-line-or-team pairs and forbidden pairs that share a group."""
    history, same_line, forbidden = ({p for p in pairs if len(p) == 2} for pairs in apart)
    found: tuple[list[Pair], list[Pair], list[Pair]] = ([], [], [])
    for g in groups:
        together = [pair(a, b) for i, a in enumerate(g.members) for b in g.members[i + 1 :]]
        found[0].extend(p for p in together if p in history)
        found[1].extend(p for p in together if p in same_line)
        found[2].extend(p for p in together if p in forbidden)
    return _sorted_pairs(found[0]), _sorted_pairs(found[1]), _sorted_pairs(found[2])


def _empty_quality() -> GroupsQuality:
    return GroupsQuality(
        (), (), (), (), 0.0, 0.0, 0.0, (), 0.0, (), 0.0, 1.0, (), (), (), (), (), 0.0
    )


def _sorted_pairs(pairs: list[Pair]) -> tuple[Pair, ...]:
    return tuple(sorted(set(pairs), key=lambda p: tuple(sorted(p))))
