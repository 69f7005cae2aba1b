"""Practice-exchange groups: coherent inside, mixed across sites, comparable, no repeats.

Entry point: :func:`form_groups`. The package (:mod:`services.matcher.algorithms.groups`)
exports it with :class:`GroupWeights`, :class:`Group`, :class:`GroupsResult`,
:class:`GroupsReport`, the baselines :func:`random_groups` and :func:`kmeans_then_chop`,
and :func:`assess_groups` to compute the same quality figures for any partition.

How (cluster, balance, then exchange):

1. interest vectors (:mod:`.vectors`), mini-batch k-means into clusters of
   about ``BLOCK_GROUPS`` groups, clusters chained by similarity: neighbours in this
   order are similar members;
2. multilevel balancing of that order (:mod:`.balance`): regions of
   ``REGION_GROUPS`` groups, then blocks of ``BLOCK_GROUPS`` groups inside each region,
   get the population's seniority, newcomer, site and volunteer mix with as few
   cross-community moves as possible; the order is then chopped into groups;
3. steepest-descent exchange inside blocks of ``BLOCK_GROUPS`` consecutive groups,
   then again with blocks shifted by half (:mod:`.exchange`);
4. exact repair of hard constraints over the whole population, then polishing sweeps
   between each group and its neighbours in the chain (:mod:`.repair`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from ..model import AlgorithmError, Pair, Person
from ..organisation import Organisation
from .balance import balance_units
from .baselines import random_partition
from .exchange import BlockInput, exchange_block
from .model import Group, GroupWeights, build_groups, chop, group_sizes
from .repair import SwapState
from .report import GroupsReport, quality_of
from .vectors import cluster_order, interest_vectors

__all__ = ["GroupsResult", "form_groups"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: Groups per exchange block (and per k-means cluster): ~64 members for groups of 8.
BLOCK_GROUPS = 8
#: Polishing looks this many groups each side along the cluster chain.
POLISH_WINDOW = 8
POLISH_SWEEPS = 3
#: Units of the multilevel balancing (:mod:`.balance`): regions, then blocks.
REGION_GROUPS = 32
UNIT_TOLERANCE = 0.05


@dataclass(frozen=True, slots=True)
class GroupsResult:
    """Groups (in cluster-chain order: neighbouring groups are similar) and their report."""

    groups: list[Group]
    report: GroupsReport


@dataclass(frozen=True, slots=True)
class _Problem:
    ids: list[str]
    vectors: FloatArray
    sites: IntArray
    seniority: FloatArray
    newcomer: FloatArray
    facilitator: FloatArray
    conflicts: list[frozenset[int]]
    #: same-line-or-team pairs among the members (ids), for the quality report
    same_line: set[Pair]


def form_groups(
    people: Sequence[Person],
    *,
    min_size: int = 5,
    max_size: int = 10,
    target_size: int = 8,
    weights: GroupWeights = GroupWeights(),
    history: Collection[Pair] = (),
    forbidden: Collection[Pair] = (),
    seed: int = 0,
) -> GroupsResult:
    """Partition the members opted into exchange groups into practice-exchange groups.

    Objective (maximised, weights from ``weights``): cohesion (cosine of interest
    vectors over same-group pairs) minus same-site pairs minus the squared deviations
    of each group's seniority and newcomer count from the population.
    Hard constraints (always hold, else :class:`InfeasibleError`): only members with
    ``groups=True`` are placed, each exactly once; sizes in ``[min_size, max_size]``
    and differing by at most one (:func:`group_sizes`; fewer than ``min_size`` members
    raises, none gives no group); no two members of one management line or team
    (:meth:`~..organisation.Organisation.conflict`: one above the other, through
    managers outside the network and non-opted-in members too, the same direct manager
    or the same team), no pair of ``history`` (the caller passes the pairs within its
    look-back) and no coordinator-given ``forbidden`` pair share a group;
    when volunteers are at least as many as groups every group holds one and has a
    designated ``facilitator``, otherwise no group holds two and the report names the
    groups without one.  The result does not depend on the order of ``people`` nor on
    their ids: members are taken in a canonical order of their content
    (:func:`canonical_order`), ids breaking ties between identical profiles only.

    Complexity: k-means O(n * n/64 * d) per iteration, balancing O(steps * 16 * r)
    with r ~ 1,500 candidate members per step, block exchange O(n * m * iterations)
    with m ~ 64, repair O(n * d) per violation, polishing
    O(sweeps * n * window * size * d); 5 to 6 s for 10,000 members on a busy 2-core
    machine (``bench/bench_groups.py``).

    References: Papenberg & Klau, "Using anticlustering to partition data sets into
    equivalent parts", Psychological Methods 2021 (exchange method); Layton et al.,
    "Design and validation of a web-based system for assigning members to teams using
    instructor-specified criteria" (CATME Team-Maker), Advances in Engineering
    Education 2010 (worst group's score).

    Examples
    --------
    >>> people = [Person(f"m{i}", "Paris" if i % 3 else "Lyon", function="AD",
    ...                  themes=frozenset({"budget"}), groups=True, facilitator=i < 2)
    ...           for i in range(12)]
    >>> result = form_groups(people, history=[frozenset({"m0", "m1"})])
    >>> [len(g.members) for g in result.groups], [g.facilitator is not None for g in result.groups]
    ([6, 6], [True, True])
    >>> result.groups[0].theme, result.report.quality.repeated_pairs
    ('budget', ())
    """
    members = _opted_in(people)
    sizes = group_sizes(len(members), min_size, max_size, target_size)
    groups: list[Group] = []
    # Many small matrix products: BLAS threads only add contention on a busy machine.
    with threadpool_limits(limits=1):
        pb = _encode(members, people, [*history, *forbidden])
        if sizes:
            labels = _optimise(pb, sizes, target_size, weights, seed)
            groups = build_groups(members, labels, len(sizes))
        report = _report(members, people, pb, groups, (history, forbidden), sizes, seed)
        return GroupsResult(groups, report)


def _opted_in(people: Sequence[Person]) -> list[Person]:
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise AlgorithmError("member ids must be unique")
    return canonical_order([p for p in people if p.groups])


def canonical_order(people: Sequence[Person]) -> list[Person]:
    """``people`` sorted by what they are (site, function, themes, skills...), not by id.

    Server-generated ids must not steer the optimisation: the same community loaded
    twice gets the same groups. Ids (and the manager keys) only break ties between
    members whose profiles are identical. O(n log n) comparisons of small tuples.

    >>> ps = [Person("z", "Paris", function="AD"), Person("a", "Lyon", function="AD")]
    >>> [p.id for p in canonical_order(ps)]
    ['a', 'z']
    """

    def content(p: Person) -> tuple[object, ...]:
        return (
            p.site, p.function, p.department, p.team or "", sorted(p.themes),
            sorted(p.skills.items()), sorted(p.skills_wanted), sorted(p.languages),
            p.seniority_years, p.newcomer, p.facilitator, len(p.management_line), p.id,
        )  # fmt: skip

    return sorted(people, key=content)


def _standardise(x: FloatArray) -> FloatArray:
    sd = float(x.std()) if len(x) else 0.0
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def _encode(members: list[Person], people: Sequence[Person], apart: Collection[Pair]) -> _Problem:
    """Arrays of the problem; ``conflicts`` joins the organisation's pairs and ``apart``."""
    index = {p.id: i for i, p in enumerate(members)}
    site_codes = {s: c for c, s in enumerate(sorted({p.site for p in members}))}
    neighbours: list[set[int]] = [set() for _ in members]
    same_line = Organisation(people).conflict_pairs(index)  # the one graph of the round
    for h in [*same_line, *apart]:
        ends = [index[x] for x in h if x in index]
        if len(ends) == 2:
            neighbours[ends[0]].add(ends[1])
            neighbours[ends[1]].add(ends[0])
    return _Problem(
        ids=[p.id for p in members],
        vectors=interest_vectors(members).toarray() if members else np.zeros((0, 1)),
        sites=np.array([site_codes[p.site] for p in members], dtype=np.intp),
        seniority=_standardise(np.array([p.seniority_years for p in members], dtype=float)),
        newcomer=_standardise(np.array([float(p.newcomer) for p in members])),
        facilitator=np.array([float(p.facilitator) for p in members]),
        conflicts=[frozenset(s) for s in neighbours],
        same_line=same_line,
    )


def _optimise(
    pb: _Problem, sizes: list[int], target_size: int, weights: GroupWeights, seed: int
) -> IntArray:
    n, k = len(pb.sites), len(sizes)
    n_clusters = max(1, round(n / (target_size * BLOCK_GROUPS)))
    order = cluster_order(pb.vectors, pb.sites, n_clusters, seed)
    order = _balance_order(order, sizes, _arrays(pb), weights.as_tuple())
    labels = chop(order, sizes)
    bounds = (1, n) if pb.facilitator.sum() >= k else (0, 1)
    w = weights.as_tuple()
    for offset in (0, BLOCK_GROUPS // 2):
        starts = range(-offset, k, BLOCK_GROUPS) if offset else range(0, k, BLOCK_GROUPS)
        for start in starts:
            lo, hi = max(0, start), min(k, start + BLOCK_GROUPS)
            if hi - lo >= 2:
                _exchange(pb, labels, lo, hi, bounds, w)
    state = SwapState(
        pb.vectors,
        pb.sites,
        (pb.seniority, pb.newcomer, pb.facilitator),
        pb.conflicts,
        labels,
        w,
        bounds,
        pb.ids,
    )
    state.repair_conflicts()
    state.repair_facilitators()
    state.polish(POLISH_WINDOW, POLISH_SWEEPS)
    return state.labels


def _arrays(pb: _Problem) -> tuple[FloatArray, IntArray, FloatArray, FloatArray, FloatArray]:
    return (pb.vectors, pb.sites, pb.seniority, pb.newcomer, pb.facilitator)


def _balance_order(
    order: IntArray,
    sizes: list[int],
    arrays: tuple[FloatArray, IntArray, FloatArray, FloatArray, FloatArray],
    w: tuple[float, float, float, float],
) -> IntArray:
    """Balance regions of the order against each other, then blocks inside each region."""
    k = len(sizes)
    group_of_pos = np.repeat(np.arange(k), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    size = float(starts[-1]) / k
    regions = np.arange(k) // REGION_GROUPS
    per_region = np.bincount(regions).astype(float)
    order = balance_units(order, regions[group_of_pos], per_region, arrays, w, size, UNIT_TOLERANCE)
    blocks = np.arange(k) // BLOCK_GROUPS
    per_block = np.bincount(blocks).astype(float)
    for g0 in range(0, k, REGION_GROUPS):
        scope = (int(starts[g0]), int(starts[min(k, g0 + REGION_GROUPS)]))
        order = balance_units(
            order, blocks[group_of_pos], per_block, arrays, w, size, UNIT_TOLERANCE, scope
        )
    return order


def _exchange(
    pb: _Problem,
    labels: IntArray,
    lo: int,
    hi: int,
    bounds: tuple[int, int],
    w: tuple[float, float, float, float],
) -> None:
    """Run the block exchange on groups ``lo..hi-1`` and write the labels back."""
    idx = np.flatnonzero((labels >= lo) & (labels < hi))
    pos = {int(g): i for i, g in enumerate(idx)}
    forbidden = np.zeros((len(idx), len(idx)), dtype=bool)
    for i, g in enumerate(idx.tolist()):
        for c in pb.conflicts[g]:
            if c in pos:
                forbidden[i, pos[c]] = True
    block = BlockInput(
        pb.vectors[idx],
        pb.sites[idx],
        pb.seniority[idx],
        pb.newcomer[idx],
        pb.facilitator[idx],
        forbidden,
        bounds[0],
        bounds[1],
    )
    labels[idx] = exchange_block(block, labels[idx] - lo, hi - lo, w, 3 * len(idx)) + lo


def _report(
    members: list[Person],
    people: Sequence[Person],
    pb: _Problem,
    groups: list[Group],
    pairs: tuple[Collection[Pair], Collection[Pair]],
    sizes: list[int],
    seed: int,
) -> GroupsReport:
    index = {pid: i for i, pid in enumerate(pb.ids)}
    rand = random_partition(members, sizes, seed)
    q = quality_of(members, index, pb.vectors, groups, pairs[0], people, pairs[1], pb.same_line)
    r = quality_of(members, index, pb.vectors, rand, pairs[0], people, pairs[1], pb.same_line)
    notes = []
    volunteers = sum(p.facilitator for p in members)
    if volunteers < len(groups):
        notes.append(
            f"{volunteers} facilitator volunteers for {len(groups)} groups: "
            f"groups {list(q.groups_without_facilitator)} have no facilitator"
        )
    return GroupsReport(quality=q, random=r, notes=tuple(notes))
