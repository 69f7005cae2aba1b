"""Exact cover by Knuth's Algorithm X (dictionary form), with a node budget.

Used by :mod:`.cyclic` to pick a base round: rows are candidate tables, columns are the
points (each seated exactly once) and the difference keys (each used exactly once).
Columns are chosen fewest-rows-first; rows are tried in a seeded random order, so the
search is deterministic given the seed and restarts explore other parts of the tree.

Complexity: exponential in the worst case; bounded by ``budget`` row selections.

References
----------
.. [1] D. E. Knuth, "Dancing links", in *Millennial Perspectives in Computer Science*, 2000.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence


class _OutOfBudget(Exception):
    pass


def exact_cover(
    rows: Sequence[Sequence[Hashable]], seed: int = 0, budget: int = 100_000
) -> list[int] | None:
    """Indices of rows covering every column exactly once, or ``None`` (none found in budget).

    >>> exact_cover([["a", "b"], ["c"], ["a"], ["b", "c"]])
    [2, 3]
    """
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    rank = {r: i for i, r in enumerate(order)}
    cols: dict[Hashable, set[int]] = {}
    for r, row in enumerate(rows):
        for c in row:
            cols.setdefault(c, set()).add(r)
    chosen: list[int] = []
    nodes = [0]

    def solve() -> bool:
        if not cols:
            return True
        c = min(cols, key=lambda col: len(cols[col]))
        for r in sorted(cols[c], key=rank.__getitem__):
            nodes[0] += 1
            if nodes[0] > budget:
                raise _OutOfBudget
            chosen.append(r)
            removed = _select(cols, rows, r)
            if solve():
                return True
            _deselect(cols, rows, r, removed)
            chosen.pop()
        return False

    try:
        return sorted(chosen) if solve() else None
    except _OutOfBudget:
        return None


def _select(
    cols: dict[Hashable, set[int]], rows: Sequence[Sequence[Hashable]], r: int
) -> list[set[int]]:
    removed = []
    for j in rows[r]:
        for i in cols[j]:
            for k in rows[i]:
                if k != j:
                    cols[k].discard(i)
        removed.append(cols.pop(j))
    return removed


def _deselect(
    cols: dict[Hashable, set[int]],
    rows: Sequence[Sequence[Hashable]],
    r: int,
    removed: list[set[int]],
) -> None:
    for j in reversed(rows[r]):
        cols[j] = removed.pop()
        for i in cols[j]:
            for k in rows[i]:
                if k != j:
                    cols[k].add(i)
