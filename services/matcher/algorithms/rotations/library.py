"""Which construction gives a repeat-free plan for ``n`` people at tables of ``k``.

:func:`construct` tries, in this order, and returns the first that reaches the rounds asked
(else the one with the most rounds, which the search then completes):

1. transversal design TD(k, q) over GF(q) (``n = k * q``, ``q`` rounds; :mod:`.designs`);
2. lines of the affine space AG(d, q) (``n = q^d``, ``k = q``; affine planes ``q + 1``
   rounds, KTS(3^d), RBIBD(4^d, 4, 1); :mod:`.nets`);
3. MOLS of order ``g`` (field, order 10, MacNeish products; :mod:`.mols`): the net of
   ``g^2`` people for ``N + 2`` rounds, or the resolvable TD of ``s * g`` people, ``s <= N + 1``,
   for ``g`` rounds;
4. RBIBD(3q + 1, 4, 1) over GF(q) x Z_3 + ∞ for prime powers ``q ≡ 1 (mod 4)`` (40, 52,
   76, ...; :mod:`.rbibd`);
5. Kirkman and nearly-Kirkman triple systems and RBIBD(v, 4, 1) (:mod:`.cyclic`);
6. a resolvable (u, k, 1) design on each of ``k`` groups plus a resolvable TD(k, u) (KTS(3u)
   from KTS(u), RBIBD(4u, 4, 1) from RBIBD(u, 4, 1));
7. partial spreads of GF(p)^m (:func:`~.designs.subspace_design`);
8. last, a published solution stored as data (8-4-10; :mod:`.golfer_solutions`), only when
   it has more rounds than every construction (so 8-4-9 keeps the partial spread).

Every design returned is checked by :func:`~.checker.repeat_free` (O(rounds * n * k)), so a
construction bug can cost a plan its guarantee, never its validity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from services.matcher.algorithms.rotations.checker import Design, repeat_free
from services.matcher.algorithms.rotations.cyclic import kirkman_like
from services.matcher.algorithms.rotations.designs import (
    prime_power,
    subspace_design,
    transversal_design,
)
from services.matcher.algorithms.rotations.golfer_solutions import stored_solution
from services.matcher.algorithms.rotations.mols import mols, mols_count
from services.matcher.algorithms.rotations.nets import affine_lines, net_design, resolvable_td
from services.matcher.algorithms.rotations.rbibd import rbibd_4

Built = tuple[str, Design]


def _root(n: int, k: int) -> int | None:
    """``d`` with ``k ** d == n``, or ``None``."""
    d, x = 0, 1
    while x < n:
        x, d = x * k, d + 1
    return d if x == n and d >= 2 else None


def _candidates(n: int, k: int, rounds: int) -> Iterator[Callable[[], Built | None]]:
    g = n // k
    if prime_power(g) is not None and k <= g:

        def td() -> Built | None:
            d = transversal_design(k, g, min(rounds, g))
            return None if d is None else (f"transversal design TD({k}, {g}) over GF({g})", d)

        yield td
    dim = _root(n, k)
    if dim is not None and prime_power(k) is not None:
        top = (k**dim - 1) // (k - 1)

        def lines() -> Built | None:
            d = affine_lines(k, dim, min(rounds, top))
            return None if d is None else (f"lines of the affine space AG({dim}, {k})", d)

        yield lines
    if g == k and mols_count(k) >= 1:
        m = mols_count(k)

        def net() -> Built | None:
            d = net_design(mols(k, m) or [], min(rounds, m + 2))
            return None if d is None else (f"net from {m} MOLS of order {k}", d)

        yield net
    if prime_power(g) is None and 2 <= k <= mols_count(g) + 1:

        def rtd() -> Built | None:
            d = resolvable_td(k, mols(g, k - 1) or [], min(rounds, g))
            return None if d is None else (f"resolvable TD({k}, {g}) from {k - 1} MOLS", d)

        yield rtd

    if k == 4 and n % 12 == 4:

        def rbibd() -> Built | None:
            d = rbibd_4(n, rounds)
            q = (n - 1) // 3
            return None if d is None else (f"resolvable design RBIBD({n}, 4, 1) over GF({q})", d)

        yield rbibd

    def kirkman() -> Built | None:
        return kirkman_like(n, k, rounds)

    yield kirkman
    if (g - 1) % (k - 1) == 0 and g > k and mols_count(g) >= k - 1:

        def inflated() -> Built | None:
            return _inflate(k, g, rounds)

        yield inflated


def _inflate(k: int, u: int, rounds: int) -> Built | None:
    """Resolvable (k*u, k, 1) design from a resolvable (u, k, 1) design on each of ``k``
    groups (its rounds run on every group at once) and a resolvable TD(k, u) across them
    (``u + (u - 1) / (k - 1)`` rounds; e.g. KTS(45) from KTS(15), RBIBD(64) from RBIBD(16))."""
    full = (u - 1) // (k - 1)
    small = construct(u, k, full)
    if small is None or len(small[1]) < full:
        return None
    across = resolvable_td(k, mols(u, k - 1) or [], u)
    if across is None:
        return None
    within = [[[j * u + x for x in t] for j in range(k) for t in tables] for tables in small[1]]
    return (f"{small[0]} inflated by a resolvable TD({k}, {u})", (across + within)[:rounds])


def construct(n: int, k: int, rounds: int) -> Built | None:
    """Best repeat-free design for ``n`` points, tables of ``k``, at most ``rounds`` rounds.

    Returns ``(name, design)``; the design may have *fewer* rounds than asked when only a
    partial construction exists (the caller completes it by local search). ``None`` when no
    construction applies (``n`` not a multiple of ``k``, or no known family fits).

    >>> name, d = construct(250, 10, 8)
    >>> name, len(d)
    ('transversal design TD(10, 25) over GF(25)', 8)
    >>> for n, k, w in [(100, 10, 4), (16, 4, 5), (40, 4, 13), (32, 4, 9), (32, 4, 10)]:
    ...     print(construct(n, k, w)[0])
    net from 2 MOLS of order 10
    lines of the affine space AG(2, 4)
    resolvable design RBIBD(40, 4, 1) over GF(13)
    partial spread of 9 subspaces of GF(2)^5
    published solution of 8-4-10 (stored)
    """
    if k < 2 or n % k or rounds < 1 or n <= k:
        return None
    best: Built | None = None
    for make in _candidates(n, k, rounds):
        built = make()
        if built is None or not repeat_free(built[1], n, k):
            continue
        if best is None or len(built[1]) > len(best[1]):
            best = built
        if len(best[1]) >= rounds:
            return best
    for r in range(rounds, len(best[1]) if best else 0, -1):
        sd = subspace_design(n, k, r)
        if sd is not None and repeat_free(sd, n, k):
            p, m = prime_power(n) or (0, 0)
            best = (f"partial spread of {r} subspaces of GF({p})^{m}", sd)
            break
    stored = stored_solution(n, k, rounds)
    if (
        stored is not None
        and repeat_free(stored, n, k)
        and len(stored) > len(best[1] if best else [])
    ):
        return (f"published solution of {n // k}-{k}-{len(stored)} (stored)", stored)
    return best
