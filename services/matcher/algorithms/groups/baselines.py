"""Baselines for practice-exchange groups, to show what the optimisation buys.

Both take the same population and sizes as :func:`~.groups.form_groups` and ignore
every objective except the one they are named after; they respect no hard
constraint (manager line, history, facilitators) on purpose.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.cluster import KMeans

from ..model import Person
from .model import Group, build_groups, chop, group_sizes
from .vectors import interest_vectors


def _opted_in(people: Sequence[Person]) -> list[Person]:
    return sorted((p for p in people if p.groups), key=lambda p: p.id)


def random_groups(
    people: Sequence[Person],
    *,
    min_size: int = 5,
    max_size: int = 10,
    target_size: int = 8,
    seed: int = 0,
) -> list[Group]:
    """Shuffle the opted-in members and chop them into groups of the same sizes.

    >>> ps = [Person(str(i), "P", groups=True) for i in range(12)]
    >>> [len(g.members) for g in random_groups(ps)]
    [6, 6]
    """
    members = _opted_in(people)
    sizes = group_sizes(len(members), min_size, max_size, target_size)
    return random_partition(members, sizes, seed)


def random_partition(members: Sequence[Person], sizes: Sequence[int], seed: int) -> list[Group]:
    """Random groups of exactly ``sizes`` over ``members`` (in the given order), seeded."""
    order = np.random.default_rng(seed).permutation(len(members))
    return build_groups(members, chop(order, sizes), len(sizes))


def kmeans_then_chop(
    people: Sequence[Person],
    *,
    min_size: int = 5,
    max_size: int = 10,
    target_size: int = 8,
    seed: int = 0,
) -> list[Group]:
    """k-means with one cluster per group on the interest vectors, then chop in label order.

    Complexity: O(n * k * d * iterations) for k-means (Lloyd), k = number of groups.

    >>> ps = [Person(f"{i:02}", "P", function="AD" if i < 6 else "RH", groups=True)
    ...       for i in range(12)]
    >>> sorted(g.members for g in kmeans_then_chop(ps))[0]
    ('00', '01', '02', '03', '04', '05')
    """
    members = _opted_in(people)
    sizes = group_sizes(len(members), min_size, max_size, target_size)
    if not sizes:
        return []
    x = interest_vectors(members)
    km = KMeans(n_clusters=min(len(sizes), len(members)), n_init=1, random_state=seed).fit(x)
    order = np.argsort(km.labels_, kind="stable")
    return build_groups(members, chop(order, sizes), len(sizes))
