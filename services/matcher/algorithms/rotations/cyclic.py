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
the 1-rotational form over Z_{v-1} fixed by the half turn
(:func:`~.resolvers.half_turn_kts`).

The base round is found by :mod:`.resolvers`: an exact cover (:mod:`.exactcover`; every
point seated once, every difference key used once, NKTS: the keys of the missing 1-factor
excluded) or a randomised depth-first search. Deterministic given the seed; exponential in
the worst case, so a plan only uses base rounds stored in :mod:`.kirkman_bases`.

References
----------
.. [1] C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed.,
   2007: II.2 (Kirkman triple systems), II.7 (resolvable BIBDs), VI.16 (difference families).
.. [2] M. Buratti, "1-rotational Steiner triple systems over arbitrary groups", J. Combin.
   Des. 9 (2001).
"""

from __future__ import annotations

from services.matcher.algorithms.rotations.kirkman_bases import BASES
from services.matcher.algorithms.rotations.resolvers import Form, solve_form

__all__ = ["Form", "develop", "forms", "kirkman_like", "solve_form"]

#: Search nodes :func:`kirkman_like` spends on an order whose base rounds are not stored.
SEARCH_BUDGET = 20_000
#: A seating plan over anonymous points: round -> table -> points.
Design = list[list[list[int]]]


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
