"""Resolvable designs with tables of 4 on ``3q + 1`` points, ``q ≡ 1 (mod 4)`` a prime power.

Objective: a repeat-free plan of ``q`` rounds of ``(3q + 1) / 4`` tables of 4 in which every
two people meet exactly once: RBIBD(40, 4, 1) (10 tables, 13 rounds, q = 13), RBIBD(52, 4, 1)
(13 tables, 17 rounds, q = 17), and 28, 76, 88, 112, ... (q = 9, 25, 29, 37, ...).

Construction (Handbook of Combinatorial Designs, VII.7.5.a): points ``(x, j)``, ``x`` in
GF(q), level ``j`` in Z_3 (number ``j * q + x``), plus ``∞`` (number ``3q``). Let ``w`` be a
primitive element, ``t = (q - 1) / 4`` and ``e = w^t`` (so ``e^2 = -1``). The first round
seats ``{(0, 0), (0, 1), (0, 2), ∞}`` and, for ``i < t`` and every level ``j``, the table
``{(w^i, j), (-w^i, j), (e w^i, j + 1), (-e w^i, j + 1)}``; round ``g`` adds ``g`` to every
finite point. The ``±w^i`` and ``±e w^i`` for ``i < t`` run over the non-zero elements once,
so the first round is a partition, and each difference (pure within a level, mixed between
levels) arises once across the base tables, which makes the ``q`` translates repeat-free
(the library checks every design with :func:`~.checker.repeat_free` before using it).

Constraints: ``n = 3q + 1`` with ``q`` a prime power, ``q ≡ 1 (mod 4)``; at most ``q``
rounds. Complexity: O(q) field operations for the base round (O(q^2) to find ``w``) and
O(rounds * n) to develop it.

References
----------
.. [1] C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed.,
   2007, VII.7.5 (resolvable (v, 4, 1) designs, v = 3q + 1).
"""

from __future__ import annotations

from services.matcher.algorithms.rotations.checker import Design
from services.matcher.algorithms.rotations.fields import GF, prime_power


def _primitive(f: GF, q: int) -> int:
    """Smallest generator of the multiplicative group of GF(q). O(q^2) products."""
    for w in range(2, q):
        x, order = w, 1
        while x != 1:
            x, order = f.mul(x, w), order + 1
        if order == q - 1:
            return w
    return 1  # q == 2: GF(2)* = {1}


def rbibd_4(n: int, rounds: int) -> Design | None:
    """``rounds`` rounds of RBIBD(n, 4, 1) for ``n = 3q + 1``, ``q ≡ 1 mod 4``; else ``None``.

    >>> d = rbibd_4(40, 13)
    >>> len(d), len(d[0]), {len(t) for r in d for t in r}
    (13, 10, {4})
    >>> rbibd_4(52, 17)[0][-1], rbibd_4(64, 21)
    ([0, 17, 34, 51], None)
    """
    if (n - 1) % 3 or rounds < 1:
        return None
    q = (n - 1) // 3
    pe = prime_power(q)
    if pe is None or q % 4 != 1 or rounds > q:
        return None
    f = GF(q)
    w, t = _primitive(f, q), (q - 1) // 4
    minus_one = pe[0] - 1  # the constant p - 1 is -1 in GF(p^e)
    e = 1
    for _ in range(t):
        e = f.mul(e, w)
    base: list[list[tuple[int, int]]] = []
    power = 1
    for _ in range(t):
        pair = [power, f.mul(minus_one, power)]
        crossed = [f.mul(e, x) for x in pair]
        for j in range(3):
            base.append([(x, j) for x in pair] + [(x, (j + 1) % 3) for x in crossed])
        power = f.mul(power, w)
    infinity = 3 * q
    design: Design = []
    for g in range(rounds):
        tables = [[j * q + f.add(x, g) for x, j in table] for table in base]
        tables.append([f.add(0, g) + j * q for j in range(3)] + [infinity])
        design.append(tables)
    return design
