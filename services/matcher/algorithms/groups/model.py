"""Plain data of practice-exchange groups: weights, groups, sizes, labels."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..model import AlgorithmError, InfeasibleError, Person

IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class GroupWeights:
    """HR-set weights of the soft objectives of :func:`~.groups.form_groups`.

    Attributes
    ----------
    cohesion : weight of the sum of cosine similarities of interest vectors over the
        pairs of members of a same group.
    sites : weight of the number of same-site pairs in a group (minimised).
    seniority : weight of ``sum_g D_g**2`` with ``D_g`` the sum over group ``g`` of the
        members' seniority in standard deviations from the population mean.
    newcomers : same as ``seniority`` for the newcomer flag (standardised 0/1).
    """

    cohesion: float = 1.0
    sites: float = 1.0
    seniority: float = 16.0
    newcomers: float = 2.0

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.cohesion, self.sites, self.seniority, self.newcomers)


@dataclass(frozen=True, slots=True)
class Group:
    """One practice-exchange group.

    Attributes
    ----------
    members : member ids, sorted.
    facilitator : id of the designated facilitator (a member who volunteered), or
        ``None`` when no volunteer could be placed in this group.
    theme : label made of the one or two themes most frequent among members.
    sites : distinct sites of the members, sorted.
    """

    members: tuple[str, ...]
    facilitator: str | None
    theme: str
    sites: tuple[str, ...]


def group_sizes(n: int, min_size: int, max_size: int, target_size: int) -> list[int]:
    """Sizes of the groups for ``n`` members: as close to ``target_size`` as allowed.

    The number of groups is ``n / target_size`` rounded half up, clamped so that every group
    can hold between ``min_size`` and ``max_size`` members; sizes then differ by at
    most one.  ``n == 0`` gives no group.

    Raises
    ------
    InfeasibleError
        When ``0 < n < min_size`` or no number of groups fits ``[min_size, max_size]``.

    >>> sizes = group_sizes(538, 5, 10, 8)
    >>> len(sizes), min(sizes), max(sizes)
    (67, 8, 9)
    >>> group_sizes(12, 5, 10, 8)
    [6, 6]
    """
    if not 2 <= min_size <= target_size <= max_size:
        raise AlgorithmError("sizes must satisfy 2 <= min_size <= target_size <= max_size")
    if n == 0:
        return []
    low, high = math.ceil(n / max_size), n // min_size
    if low > high:
        raise InfeasibleError(
            f"{n} members cannot be split into groups of {min_size} to {max_size}"
        )
    k = min(max(math.floor(n / target_size + 0.5), low, 1), high)
    q, r = divmod(n, k)
    return [q + 1] * r + [q] * (k - r)


def theme_label(people: Sequence[Person]) -> str:
    """The one or two most frequent themes (ties broken alphabetically), ``" / "``-joined.

    >>> theme_label([Person("a", "P", themes=frozenset({"budget", "outils"})),
    ...              Person("b", "P", themes=frozenset({"budget"}))])
    'budget / outils'
    """
    counts = Counter(t for p in people for t in p.themes)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
    return " / ".join(t for t, _ in top)


def build_groups(members: Sequence[Person], labels: IntArray, n_groups: int) -> list[Group]:
    """Turn group labels into :class:`Group` values (facilitator = most senior volunteer).

    Ties between equally senior volunteers go to the first in ``members``' order.
    """
    by_group: list[list[Person]] = [[] for _ in range(n_groups)]
    for p, g in zip(members, labels.tolist(), strict=True):
        by_group[g].append(p)
    groups = []
    for ps in by_group:
        volunteers = sorted((p for p in ps if p.facilitator), key=lambda p: -p.seniority_years)
        groups.append(
            Group(
                members=tuple(sorted(p.id for p in ps)),
                facilitator=volunteers[0].id if volunteers else None,
                theme=theme_label(ps),
                sites=tuple(sorted({p.site for p in ps})),
            )
        )
    return groups


def chop(order: IntArray, sizes: Sequence[int]) -> IntArray:
    """Labels that put ``order[0:sizes[0]]`` in group 0, the next ``sizes[1]`` in group 1..."""
    labels = np.empty(len(order), dtype=np.intp)
    labels[order] = np.repeat(np.arange(len(sizes)), sizes)
    return labels
