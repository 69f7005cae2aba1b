"""Resolvers of :mod:`.cyclic`: search base rounds whose difference keys are all distinct.

Two resolvers: an exact cover of points and keys (:func:`base_round`, :mod:`.exactcover`)
and a randomised depth-first search (:func:`dfs_base_round`); :func:`half_turn_kts` for the
1-rotational form of Kirkman systems. See :mod:`.cyclic` for the model. Exponential in the
worst case, every search is bounded in nodes; deterministic given the seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from services.matcher.algorithms.rotations.exactcover import exact_cover


def _keys(a: int, b: int, r: int, levels: int) -> Hashable | None:
    """Difference used when points ``a`` and ``b`` share a table; ``None`` if they may not."""
    n_fin = r * levels
    if a > b:
        a, b = b, a
    if b >= n_fin:
        if a >= n_fin:
            return None  # two fixed points would meet every round
        return ("inf", b - n_fin, a // r)
    (xa, ia), (xb, ib) = divmod(a, r), divmod(b, r)
    if xa == xb:
        d = (ib - ia) % r
        if 2 * d == r:
            return None
        return ("pure", xa, min(d, r - d))
    return ("mixed", xa, xb, (ib - ia) % r)


#: Most candidate tables an exact-cover search will enumerate.
MAX_CANDIDATES = 400_000


def _candidates(
    points: list[int], k: int, key: Callable[[int, int], Hashable | None]
) -> list[tuple[list[int], list[Hashable]]] | None:
    """Every table of ``k`` points whose pairs have distinct, allowed keys."""
    out: list[tuple[list[int], list[Hashable]]] = []

    def grow(table: list[int], keys: list[Hashable], start: int) -> bool:
        if len(table) == k:
            out.append((list(table), list(keys)))
            return len(out) <= MAX_CANDIDATES
        for idx in range(start, len(points)):
            p = points[idx]
            new = [key(q, p) for q in table]
            if any(x is None or x in keys for x in new) or len(set(new)) < len(new):
                continue
            if not grow([*table, p], keys + new, idx + 1):  # type: ignore[operator]
                return False
        return True

    return out if grow([], [], 0) else None


def base_round(
    r: int,
    levels: int,
    fixed: int,
    k: int,
    seed: int = 0,
    excluded: frozenset[Hashable] = frozenset(),
    tries: int = 6,
    bases: int = 1,
    budget: int = 100_000,
) -> list[list[list[int]]] | None:
    """``bases`` base rounds of tables of ``k`` over ``levels * r + fixed`` points using every
    difference key exactly once over all of them (keys in ``excluded`` never), by exact cover
    (:mod:`.exactcover`); developed, each gives ``r`` rounds.

    Returns the base rounds (point numbers as in the module docstring) or ``None`` when
    ``tries`` seeded searches find none within their budget.

    >>> [base] = base_round(7, 2, 1, 3)        # KTS(15) over Z_7 x {0, 1} + ∞
    >>> sorted(len(t) for t in base), sorted(p for t in base for p in t) == list(range(15))
    ([3, 3, 3, 3, 3], True)
    """
    n = levels * r + fixed
    if n % k or r < 1 or fixed > n // k:
        return None

    def key(a: int, b: int) -> Hashable | None:
        found = _keys(a, b, r, levels)
        return None if found in excluded else found

    cands = _candidates(list(range(n)), k, key)
    if cands is None:
        return None
    rows = [[("point", j, p) for p in t] + keys for j in range(bases) for t, keys in cands]
    for attempt in range(tries):
        picked = exact_cover(rows, seed=seed * 1000 + attempt, budget=budget)
        if picked is not None:
            found: list[list[list[int]]] = [[] for _ in range(bases)]
            for i in picked:
                found[i // len(cands)].append(cands[i % len(cands)][0])
            return found
    return None


def dfs_base_round(
    r: int, levels: int, fixed: int, k: int, seed: int = 0, budget: int = 200_000
) -> list[list[list[int]]] | None:
    """One base round by randomised depth-first search (no exactness asked: each difference
    key at most once), the other resolver of :func:`base_round`; ``None`` past ``budget``.

    >>> [base] = dfs_base_round(13, 2, 1, 3)        # KTS(27) over Z_13 x {0, 1} + ∞
    >>> sorted(p for t in base for p in t) == list(range(27))
    True
    """
    n = levels * r + fixed
    if n % k:
        return None
    rng = random.Random(seed)
    order = list(range(levels * r, n)) + rng.sample(range(levels * r), levels * r)
    placed, used, tables, nodes = [False] * n, set(), [], [0]

    def extend(table: list[int], start: int) -> bool:
        if len(table) == k:
            tables.append(list(table))
            if fill():
                return True
            tables.pop()
            return False
        for p in order[start:]:
            if placed[p]:
                continue
            nodes[0] += 1
            if nodes[0] > budget:
                return False
            new = [_keys(p, q, r, levels) for q in table]
            if any(x is None or x in used for x in new) or len(set(new)) < len(new):
                continue
            placed[p] = True
            used.update(new)
            if extend([*table, p], order.index(p) + 1):
                return True
            used.difference_update(new)
            placed[p] = False
        return False

    def fill() -> bool:
        first = next((p for p in order if not placed[p]), None)
        if first is None:
            return True
        placed[first] = True
        if extend([first], order.index(first) + 1):
            return True
        placed[first] = False
        return False

    return [tables] if fill() else None


def half_turn_kts(
    v: int, seed: int = 0, tries: int = 6, budget: int = 100_000
) -> list[list[int]] | None:
    """Base round of a 1-rotational KTS(v) over Z_{v-1} + ∞ fixed by the half turn ``+m``.

    ``m = (v-1)/2``; the base round is ``{∞, 0, m}`` plus tables ``T`` and ``T + m`` (one
    point of each pair ``{x, x + m}`` in the ``T``), whose differences ``±(b - a)`` are all
    distinct; developed by ``0..m-1`` it gives the ``m`` rounds of a KTS(v). Used for ``m``
    even, where the Z_m x Z_2 form cannot exist.

    >>> sorted(map(sorted, half_turn_kts(9)))
    [[0, 4, 8], [1, 6, 7], [2, 3, 5]]
    """
    m = (v - 1) // 2
    if v % 6 != 3:
        return None

    def key(a: int, b: int) -> Hashable | None:
        d = (b - a) % (2 * m)
        return None if d == m else ("diff", min(d, 2 * m - d))

    items = [p for p in range(1, 2 * m) if p != m]
    cands = _candidates(items, 3, key)
    if cands is None:
        return None
    rows = [[("pair", p % m) for p in t] + keys for t, keys in cands]
    for attempt in range(tries):
        picked = exact_cover(rows, seed=seed * 1000 + attempt, budget=budget)
        if picked is not None:
            found = [cands[i][0] for i in picked]
            shifted = [[(p + m) % (2 * m) for p in t] for t in found]
            return [[2 * m, 0, m], *found, *shifted]
    return None


@dataclass(frozen=True)
class Form:
    """How a family is searched: ``bases`` base rounds over Z_r x ``levels`` + ``fixed``
    (``half_turn``: the 1-rotational form of :func:`half_turn_kts`)."""

    r: int
    levels: int
    fixed: int
    bases: int = 1
    half_turn: bool = False
    excluded: frozenset[Hashable] = frozenset()


def solve_form(
    form: Form, k: int, seed: int = 0, tries: int = 6, budget: int = 100_000
) -> list[list[list[int]]] | None:
    """Base rounds of ``form`` (see :func:`forms`) found by search, or ``None``: exact cover
    (:func:`base_round`), or for odd seeds on single-base forms :func:`dfs_base_round`.

    >>> len(solve_form(Form(8, 1, 1, half_turn=True), 3)[0])
    3
    """
    if form.half_turn:
        half = half_turn_kts(2 * (form.r // 2) + 1, seed, tries, budget)
        return None if half is None else [half]
    if form.bases == 1 and not form.excluded and seed % 2:  # odd seeds: the DFS resolver
        return dfs_base_round(form.r, form.levels, form.fixed, k, seed, budget * 10)
    return base_round(
        form.r, form.levels, form.fixed, k, seed, form.excluded, tries, form.bases, budget
    )
