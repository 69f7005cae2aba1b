"""Finite fields GF(p^e) for small orders (4, 8, 9, 16, 25, 27, 32, ...), pure Python.

Used by the constructions (:mod:`.designs`, :mod:`.mols`, :mod:`.nets`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator


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
