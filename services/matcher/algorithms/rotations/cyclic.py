"""Resolvable designs found as one base round developed over a cyclic group.

Kirkman triple systems KTS(v), nearly-Kirkman systems NKTS(v) and resolvable designs with
tables of 4 (RBIBD(v, 4, 1)) have no single algebraic construction covering every order, so
this module *searches* for a structured one, which is then proven by the checker
(:func:`~.checker.repeat_free`).

Points are ``(i, x)`` with ``i`` in Z_r and level ``x < L`` (number ``x * r + i``) plus ``f``
fixed points ``∞_j`` (numbers ``L * r + j``). A *base round* is a partition of the points into
tables of ``k``; round ``s`` (``0 <= s < r``) shifts every finite point by ``s``. Two points
meet in at most one of the ``r`` rounds iff every *difference* is used at most once in the
base round: a mixed pair of levels ``x < y`` has the difference ``(x, y, b - a)``, a pure pair
``(x, ±(b - a))`` (and ``b - a = r/2`` is refused: that pair would meet twice), and ``∞_j``
seated with ``(a, x)`` uses ``(∞_j, x)`` (so a fixed point sits with one point per level and
two fixed points never share a table).

* KTS(v), v ≡ 3 (mod 6): ``r = (v-1)/2``, ``L = 2``, ``f = 1``, tables of 3, ``r`` rounds.
* NKTS(v), v ≡ 0 (mod 6), v >= 18: ``r = (v-2)/2``, ``L = 2``, ``f = 2``.
* RBIBD(v, 4, 1), v ≡ 4 (mod 12): ``r = (v-1)/3``, ``L = 3``, ``f = 1``, tables of 4.

KTS(v) with ``r`` even cannot take that form (pure difference ``r/2``); it is searched in
the 1-rotational form over Z_{v-1} fixed by the half turn (:func:`half_turn_kts`).

The base round is an exact cover (:mod:`.exactcover`): every point seated once, every
difference key used once (NKTS: the keys of the missing 1-factor excluded). Deterministic
given the seed. Complexity: O(C(v, k)) to list the candidate tables (at most
:data:`MAX_CANDIDATES`), then a search bounded in nodes; times are in ``docs/benchmarks``.

References
----------
.. [1] C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed.,
   2007: II.2 (Kirkman triple systems), II.7 (resolvable BIBDs), VI.16 (difference families).
.. [2] M. Buratti, "1-rotational Steiner triple systems over arbitrary groups", J. Combin.
   Des. 9 (2001).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from services.matcher.algorithms.rotations.exactcover import exact_cover
from services.matcher.algorithms.rotations.kirkman_bases import BASES

#: A seating plan over anonymous points: round -> table -> points.
Design = list[list[list[int]]]


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


#: Search nodes :func:`kirkman_like` spends on an order whose base rounds are not stored.
SEARCH_BUDGET = 20_000
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


def develop(bases: list[list[list[int]]], r: int, levels: int, rounds: int) -> Design:
    """The first ``rounds`` of the base rounds shifted over Z_r (fixed points stay).

    Base round ``j`` shifted by ``s`` is round ``j * r + s``.

    >>> develop([[[0, 1], [2, 3]]], 2, 2, 2)
    [[[0, 1], [2, 3]], [[1, 0], [3, 2]]]
    """
    n_fin = r * levels

    def shift(p: int, s: int) -> int:
        if p >= n_fin:
            return p
        x, i = divmod(p, r)
        return x * r + (i + s) % r

    every = [[[shift(p, s) for p in t] for t in base] for base in bases for s in range(r)]
    return every[:rounds]


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


def forms(n: int, k: int) -> tuple[str, list[Form]] | None:
    """The family of ``n`` points at tables of ``k`` and the forms to search, best first.

    >>> label, [form] = forms(15, 3)
    >>> label, form.r, form.levels, form.fixed
    ('Kirkman triple system KTS(15)', 7, 2, 1)
    """
    if k == 3 and n % 6 == 3:
        m = (n - 1) // 2
        if m % 2:
            found = [Form(m, 2, 1)]
        else:  # Z_m x Z_2 would need the pure difference m/2
            found = [Form(2 * m, 1, 1, half_turn=True), Form(m // 2, 4, 1, bases=2)]
        return f"Kirkman triple system KTS({n})", found
    if k == 3 and n % 6 == 0 and n >= 18:
        r = (n - 2) // 2
        # r odd: the missing 1-factor is the mixed difference 0 (and {∞0, ∞1});
        # r even: the pure differences r/2, refused anyway
        odd = frozenset({("mixed", 0, 1, 0)}) if r % 2 else frozenset()
        found = [Form(r, 2, 2, excluded=odd)]
        if r % 2 == 0:
            found.append(Form(r // 2, 4, 2, bases=2))
        return f"nearly Kirkman triple system NKTS({n})", found
    if k == 4 and n % 12 == 4:
        return f"resolvable design RBIBD({n}, 4, 1)", [Form((n - 1) // 3, 3, 1)]
    return None


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


def kirkman_like(
    n: int, k: int, rounds: int, seed: int = 0, search: bool = False
) -> tuple[str, Design] | None:
    """KTS(n), NKTS(n) or RBIBD(n, 4, 1), cut to ``rounds`` rounds.

    Base rounds found once are stored in :data:`~.kirkman_bases.BASES` (found by
    ``bench/find_kirkman_bases.py``, proven by the tests); other orders are searched only
    when ``search`` is true (a plan never waits on an exponential search: it falls back to
    the tabu search instead). ``None`` when the order is not one of these families, asks
    for more rounds than the family has, or no base round is known (or found).

    >>> name, d = kirkman_like(15, 3, 7, search=True)
    >>> name, len(d), {len(t) for rnd in d for t in rnd}
    ('Kirkman triple system KTS(15), over Z_7 x 2 levels + 1 fixed', 7, {3})
    """
    family = forms(n, k)
    if family is None:
        return None
    label, options = family
    stored = BASES.get((n, k))
    if stored is not None:
        index, bases = stored
        options = [options[index]]
    elif not search:
        return None
    for form in options:
        if rounds < 1 or rounds > form.r * form.bases // (2 if form.half_turn else 1):
            return None
        found = bases if stored is not None else solve_form(form, k, seed, 1, SEARCH_BUDGET)
        if found is not None:
            where = f"Z_{form.r} x {form.levels} levels + {form.fixed} fixed"
            if form.half_turn:
                where = f"Z_{form.r} + 1 fixed, 1-rotational"
            return f"{label}, over {where}", develop(found, form.r, form.levels, rounds)
    return None
