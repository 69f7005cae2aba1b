"""Combinatorial constructions of repeat-free seating plans (resolvable designs).

A *design* here is a seating plan over anonymous points ``0..n-1``: ``design[r][t]`` lists
the points at table ``t`` in round ``r``. Two constructions are provided, both giving plans
in which no two points ever share a table twice:

* :func:`transversal_design` — ``n = k * q`` points for tables of ``k`` with ``q`` a prime
  power and ``k <= q``: point ``(g, i)`` (group ``g < k``, ``i`` in GF(q)) sits in round ``r``
  at table ``i + a_r * e_g``. Two points of groups ``g != h`` meet only in the round where
  ``a_r = (i - j) / (e_h - e_g)``; points of one group never meet. Up to ``q`` rounds, and
  every table takes exactly one point of each group (this is what lets the caller map sites
  onto groups). 250 people at 25 tables of 10 uses GF(25) = GF(5)[x] / (x^2 + ...).
* :func:`subspace_design` — ``n = p^m`` points (vectors of GF(p)^m), tables of ``p^d``:
  round ``r`` seats together the cosets of a ``d``-dimensional subspace ``U_r``. Two points
  meet in round ``r`` iff their difference lies in ``U_r``, so a *partial spread* (subspaces
  meeting only in 0) gives a repeat-free plan. 32 people at 8 tables of 4 for 9 rounds is a
  maximum partial line spread of PG(4, 2) (9 lines cover 27 of its 31 points).

References
----------
.. [1] C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed.,
   chapters on transversal designs (III.3) and resolvable designs.
.. [2] W. Harvey, "The fully social golfer problem", SymCon 2003; and CSPLib prob010.
.. [3] A. Beutelspacher, "Partial spreads in finite projective spaces", Math. Z. 145 (1975).
"""

from __future__ import annotations

import itertools
import math

from services.matcher.algorithms.rotations.fields import GF, _digits, _number, prime_power

__all__ = ["GF", "Design", "prime_power", "subspace_design", "transversal_design"]

#: A seating plan over anonymous points: round -> table -> points.
Design = list[list[list[int]]]

#: Largest number of subspaces :func:`subspace_design` will enumerate before giving up.
MAX_SUBSPACES = 20_000


def transversal_design(k: int, q: int, rounds: int) -> Design | None:
    """Repeat-free plan for ``k * q`` points at ``q`` tables of ``k``, or ``None``.

    Point ``g * q + i`` is member ``i`` of group ``g``; every table holds one point of each
    group. Exists when ``q`` is a prime power, ``k <= q`` and ``rounds <= q``.
    Complexity: O(rounds * k * q * e) with ``q = p^e``.

    >>> d = transversal_design(3, 5, 5)
    >>> len(d), len(d[0]), sorted(len(t) for t in d[0]) == [3] * 5
    (5, 5, True)
    """
    if prime_power(q) is None or not 2 <= k <= q or rounds > q:
        return None
    field = GF(q)
    design: Design = []
    for r in range(rounds):
        tables: list[list[int]] = [[] for _ in range(q)]
        for g in range(k):
            shift = field.mul(r, g)
            for i in range(q):
                tables[field.add(i, shift)].append(g * q + i)
        design.append(tables)
    return design


def _gaussian_binomial(m: int, d: int, p: int) -> int:
    num = math.prod(p ** (m - i) - 1 for i in range(d))
    den = math.prod(p ** (d - i) - 1 for i in range(d))
    return num // den


def _subspaces(p: int, m: int, d: int) -> list[list[int]]:
    """All ``d``-dim subspaces of GF(p)^m as sorted lists of vector numbers, via reduced
    row echelon forms (one per subspace)."""
    result = []
    for pivots in itertools.combinations(range(m), d):
        free = [
            (row, col)
            for row, piv in enumerate(pivots)
            for col in range(piv + 1, m)
            if col not in pivots
        ]
        for values in itertools.product(range(p), repeat=len(free)):
            rows = [[0] * m for _ in range(d)]
            for row, piv in enumerate(pivots):
                rows[row][piv] = 1
            for (row, col), v in zip(free, values, strict=True):
                rows[row][col] = v
            span = set()
            for coefs in itertools.product(range(p), repeat=d):
                vec = [sum(c * rows[i][j] for i, c in enumerate(coefs)) % p for j in range(m)]
                span.add(_number(vec, p))
            result.append(sorted(span))
    return result


def _partial_spread(spaces: list[list[int]], rounds: int, budget: int) -> list[int] | None:
    """Depth-first search for ``rounds`` subspaces pairwise meeting only in 0."""
    masks = [sum(1 << v for v in s if v) for s in spaces]
    size = bin(masks[0]).count("1")
    total = max(m.bit_length() for m in masks) - 1  # nonzero vectors are 1..p^m-1
    chosen: list[int] = []
    nodes = 0

    def dfs(start: int, used: int) -> bool:
        nonlocal nodes
        if len(chosen) == rounds:
            return True
        if total - bin(used).count("1") < (rounds - len(chosen)) * size:
            return False
        for idx in range(start, len(masks)):
            nodes += 1
            if nodes > budget:
                return False
            if masks[idx] & used == 0:
                chosen.append(idx)
                if dfs(idx + 1, used | masks[idx]):
                    return True
                chosen.pop()
        return False

    return list(chosen) if dfs(0, 0) else None


def subspace_design(n: int, k: int, rounds: int, budget: int = 200_000) -> Design | None:
    """Repeat-free plan for ``n = p^m`` points at tables of ``k = p^d``, or ``None``.

    Looks for ``rounds`` ``d``-dimensional subspaces of GF(p)^m that pairwise meet only in 0
    (depth-first search with at most ``budget`` nodes) and seats the cosets of each one
    together. Complexity: O(#subspaces * p^d) to enumerate, then the bounded search.

    >>> d = subspace_design(32, 4, 9)
    >>> len(d), {len(t) for r in d for t in r}
    (9, {4})
    """
    pn, pk = prime_power(n), prime_power(k)
    if pn is None or pk is None or pn[0] != pk[0] or not 1 <= pk[1] < pn[1] or rounds < 1:
        return None
    (p, m), d = pn, pk[1]
    if _gaussian_binomial(m, d, p) > MAX_SUBSPACES:
        return None
    spaces = _subspaces(p, m, d)
    picked = _partial_spread(spaces, rounds, budget)
    if picked is None:
        return None
    digits = [_digits(x, p, m) for x in range(n)]
    design: Design = []
    for idx in picked:
        cosets: dict[int, list[int]] = {}
        for x in range(n):
            key = min(
                _number([(a + b) % p for a, b in zip(digits[x], digits[u], strict=True)], p)
                for u in spaces[idx]
            )
            cosets.setdefault(key, []).append(x)
        design.append([cosets[key] for key in sorted(cosets)])
    return design
