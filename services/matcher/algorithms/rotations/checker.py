"""Checker of seating plans over anonymous points (every construction is proven by it).

A plan is *valid* for ``n`` points at tables of ``k`` when every round seats each point
exactly once at tables of exactly ``k``, and *repeat-free* when no two points share a table
twice. O(rounds * n * k).
"""

from __future__ import annotations

from itertools import combinations

#: A seating plan over anonymous points: round -> table -> points.
Design = list[list[list[int]]]


def repeats(design: Design) -> int:
    """Pairs seated together more than once, counted once per extra meeting.

    >>> repeats([[[0, 1], [2, 3]], [[0, 1], [2, 3]]])
    2
    """
    seen: set[tuple[int, int]] = set()
    extra = 0
    for tables in design:
        for table in tables:
            for a, b in combinations(sorted(table), 2):
                extra += (a, b) in seen
                seen.add((a, b))
    return extra


def seats_everyone(design: Design, n: int, k: int) -> bool:
    """Every round is a partition of ``0..n-1`` into tables of exactly ``k``.

    >>> seats_everyone([[[0, 1], [2, 3]], [[0, 2], [1, 3]]], 4, 2)
    True
    """
    return all(
        sorted(p for t in tables for p in t) == list(range(n)) and all(len(t) == k for t in tables)
        for tables in design
    )


def repeat_free(design: Design, n: int, k: int) -> bool:
    """:func:`seats_everyone` and no repeats.

    >>> repeat_free([[[0, 1], [2, 3]], [[0, 2], [1, 3]], [[0, 3], [1, 2]]], 4, 2)
    True
    """
    return seats_everyone(design, n, k) and repeats(design) == 0
