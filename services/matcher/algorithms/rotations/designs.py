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
from collections.abc import Iterator

#: A seating plan over anonymous points: round -> table -> points.
Design = list[list[list[int]]]

#: Largest number of subspaces :func:`subspace_design` will enumerate before giving up.
MAX_SUBSPACES = 20_000


def prime_power(q: int) -> tuple[int, int] | None:
    """Return ``(p, e)`` with ``q == p**e`` and ``p`` prime, or ``None``.

    >>> prime_power(25), prime_power(8), prime_power(10)
    ((5, 2), (2, 3), None)
    """
    if q < 2:
        return None
    p = next(d for d in range(2, q + 1) if q % d == 0)
    e, rest = 0, q
    while rest % p == 0:
        rest //= p
        e += 1
    return (p, e) if rest == 1 else None


def _poly_mulmod(a: list[int], b: list[int], mod: list[int], p: int) -> list[int]:
    """Multiply coefficient lists (low degree first) modulo the monic polynomial ``mod``."""
    e = len(mod) - 1
    prod = [0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            prod[i + j] = (prod[i + j] + x * y) % p
    for deg in range(len(prod) - 1, e - 1, -1):
        c = prod[deg]
        if c:
            for k in range(e + 1):
                prod[deg - e + k] = (prod[deg - e + k] - c * mod[k]) % p
    return (prod + [0] * e)[:e]


def _digits(x: int, p: int, e: int) -> list[int]:
    return [(x // p**k) % p for k in range(e)]


def _number(digits: list[int], p: int) -> int:
    return sum(d * p**k for k, d in enumerate(digits))


def _irreducible(p: int, e: int) -> list[int]:
    """First monic irreducible polynomial of degree ``e`` over GF(p) (no root in any
    extension of degree <= e/2 is checked by brute force: no monic factor of degree <= e/2)."""
    for tail in itertools.product(range(p), repeat=e):
        cand = [*tail, 1]
        if cand[0] == 0:
            continue
        if not any(_divides(f, cand, p) for f in _monic_polys(p, 1, e // 2)):
            return cand
    raise AssertionError("an irreducible polynomial always exists")  # pragma: no cover


def _monic_polys(p: int, lo: int, hi: int) -> Iterator[list[int]]:
    for deg in range(lo, hi + 1):
        for tail in itertools.product(range(p), repeat=deg):
            yield [*tail, 1]


def _divides(f: list[int], g: list[int], p: int) -> bool:
    """True when the monic ``f`` divides ``g`` over GF(p)."""
    rem = list(g)
    df = len(f) - 1
    for deg in range(len(rem) - 1, df - 1, -1):
        c = rem[deg]
        if c:
            for k in range(df + 1):
                rem[deg - df + k] = (rem[deg - df + k] - c * f[k]) % p
    return not any(rem[:df])


class GF:
    """Arithmetic of GF(q), elements numbered ``0..q-1``.

    Element ``x`` is the polynomial whose base-``p`` digits are its coefficients; 0 and 1 are
    the field's zero and one. Addition is digit-wise modulo ``p``; multiplication is modulo
    the first monic irreducible polynomial of degree ``e``. O(e^2) per product, no tables.

    >>> f = GF(4)
    >>> [f.mul(2, x) for x in range(4)]  # x * (0, 1, x, x+1) modulo x^2 + x + 1
    [0, 2, 3, 1]
    """

    def __init__(self, q: int) -> None:
        pe = prime_power(q)
        if pe is None:
            raise ValueError(f"{q} is not a prime power")
        self.p, self.e = pe
        self.mod = _irreducible(self.p, self.e) if self.e > 1 else [0, 1]

    def add(self, x: int, y: int) -> int:
        p, e = self.p, self.e
        if e == 1:
            return (x + y) % p
        dx, dy = _digits(x, p, e), _digits(y, p, e)
        return _number([(a + b) % p for a, b in zip(dx, dy, strict=True)], p)

    def mul(self, x: int, y: int) -> int:
        p, e = self.p, self.e
        if e == 1:
            return (x * y) % p
        return _number(_poly_mulmod(_digits(x, p, e), _digits(y, p, e), self.mod, p), p)


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


def construct(n: int, k: int, rounds: int) -> tuple[str, Design] | None:
    """Best available repeat-free design for ``n`` points, tables of ``k``, ``rounds`` rounds.

    Returns ``(name, design)``; the design may have *fewer* rounds than asked when only a
    partial construction exists (the caller completes it by local search). ``None`` when no
    construction applies (``n`` not a multiple of ``k``, or no known family fits).

    >>> name, d = construct(250, 10, 8)
    >>> name, len(d)
    ('transversal design TD(10, 25) over GF(25)', 8)
    """
    if k < 2 or n % k or rounds < 1 or n <= k:
        return None
    q = n // k
    best: tuple[str, Design] | None = None
    if prime_power(q) is not None and k <= q:
        td = transversal_design(k, q, min(rounds, q))
        if td is not None:
            best = (f"transversal design TD({k}, {q}) over GF({q})", td)
            if len(td) == rounds:
                return best
    for r in range(rounds, len(best[1]) if best else 0, -1):
        sd = subspace_design(n, k, r)
        if sd is not None:
            (p, m), (_, d) = prime_power(n) or (0, 0), prime_power(k) or (0, 0)
            return (f"partial spread of {r} subspaces of dimension {d} in GF({p})^{m}", sd)
    return best
