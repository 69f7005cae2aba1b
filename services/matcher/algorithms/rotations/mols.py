"""Mutually orthogonal Latin squares (MOLS) of small orders.

A Latin square of order ``g`` is a ``g x g`` array of symbols ``0..g-1``, each once per row
and per column; two are *orthogonal* when every ordered pair of symbols appears in exactly
one cell. ``m`` MOLS of order ``g`` seat ``g^2`` people at ``g`` tables of ``g`` for ``m + 2``
rounds, or ``s * g`` people at ``g`` tables of ``s <= m + 1`` for ``g`` rounds (:mod:`.nets`).
Constructions:

* prime power ``q``: ``L_a[x][y] = a * x + y`` over GF(q), ``a != 0`` (``q - 1`` squares);
* MacNeish's product: ``m`` MOLS of orders ``g1`` and ``g2`` give ``m`` of order ``g1 * g2``
  (so 12 = 4 x 3 has 2, 20 = 4 x 5 has 3);
* order 10 (not a prime power, no product): Bose, Shrikhande and Parker's construction from
  a quasi-difference matrix over Z_7 with 3 infinite symbols, completed by an orthogonal
  array of order 3 on those symbols; the matrix was found by :func:`qdm_rows` (a small
  backtracking search) and is kept as :data:`QDM_7_3`;
* order 12: five MOLS (Johnson, Dulmage and Mendelsohn 1961) from Hanani's (12, 6; 1)
  difference matrix over Z_2 x Z_6 (:data:`DM_12_6`, :func:`mols_12`): the 12 x 12 net then
  seats 144 people for 7 rounds instead of MacNeish's 4.

Complexity: O(m * g^2 * e) for the field squares; the order-10 search takes milliseconds.

References
----------
.. [1] C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed.,
   III.3 (MOLS: products, table of N(n), N(10) >= 2 and N(12) >= 5).
.. [2] R. C. Bose, S. S. Shrikhande, E. T. Parker, "Further results on the construction of
   mutually orthogonal Latin squares and the falsity of Euler's conjecture", Canad. J.
   Math. 12 (1960).
.. [3] S. M. Johnson, A. L. Dulmage, N. S. Mendelsohn, "Orthomorphisms of groups and
   orthogonal Latin squares I", Canad. J. Math. 13 (1961); H. Hanani, "Balanced incomplete
   block designs and related designs", Discrete Math. 11 (1975), Lemma 3.21.
"""

from __future__ import annotations

from functools import cache

from services.matcher.algorithms.rotations.designs import GF, prime_power

Square = list[list[int]]


def is_latin(square: Square) -> bool:
    """Every symbol once in each row and each column.

    >>> is_latin([[0, 1], [1, 0]]), is_latin([[0, 1], [0, 1]])
    (True, False)
    """
    g = len(square)
    full = list(range(g))
    return all(sorted(row) == full for row in square) and all(
        sorted(row[c] for row in square) == full for c in range(g)
    )


def orthogonal(a: Square, b: Square) -> bool:
    """Every ordered pair of symbols appears in exactly one cell.

    >>> orthogonal([[0, 1], [1, 0]], [[0, 1], [1, 0]])
    False
    """
    g = len(a)
    return len({(a[x][y], b[x][y]) for x in range(g) for y in range(g)}) == g * g


def field_mols(q: int) -> list[Square]:
    """The ``q - 1`` MOLS ``a * x + y`` over GF(q).

    >>> [orthogonal(a, b) for a, b in [field_mols(4)[:2], field_mols(4)[1:]]]
    [True, True]
    """
    f = GF(q)
    return [[[f.add(f.mul(a, x), y) for y in range(q)] for x in range(q)] for a in range(1, q)]


def product_mols(first: list[Square], second: list[Square]) -> list[Square]:
    """MacNeish's direct product: ``min(len(first), len(second))`` MOLS of the product order.

    >>> [len(s) for s in product_mols(field_mols(4), field_mols(3))]
    [12, 12]
    """
    out = []
    for a, b in zip(first, second, strict=False):
        g1, g2 = len(a), len(b)
        out.append(
            [
                [a[x1][y1] * g2 + b[x2][y2] for y1 in range(g1) for y2 in range(g2)]
                for x1 in range(g1)
                for x2 in range(g2)
            ]
        )
    return out


#: The rows :func:`qdm_rows` finds (kept so that a plan does not pay the 1-3 s search;
#: ``tests/unit/algorithms/test_rotation_designs.py`` checks the search still gives them).
QDM_7_3: list[list[int | None]] = [
    [0, 0, 0, 0], [None, 0, 1, 2], [None, 0, 2, 1], [None, 0, 3, 5], [0, None, 1, 4],
    [0, None, 2, 6], [0, None, 5, 3], [0, 1, None, 5], [0, 3, None, 2], [0, 5, None, 1],
    [0, 2, 6, None], [0, 4, 3, None], [0, 6, 4, None],
]  # fmt: skip


def qdm_rows() -> list[list[int | None]]:
    """Base rows of a (7, 4; 1, 1; 3) quasi-difference matrix: one all-zero row, and for
    each column ``c`` and infinite symbol ``i`` a row with ``None`` at ``c`` (filled by
    ``7 + i`` later) such that in every two columns the 7 differences are all of Z_7.
    Exhaustive backtracking, first solution in lexicographic order.

    >>> qdm_rows()[:2]
    [[0, 0, 0, 0], [None, 0, 1, 2]]
    """
    slots = [(c, i) for c in range(4) for i in range(3)]
    rows: list[list[int | None]] = [[0, 0, 0, 0]]
    used = {(c1, c2): {0} for c1 in range(4) for c2 in range(c1 + 1, 4)}

    def place(idx: int) -> bool:
        if idx == len(slots):
            return True
        c, _ = slots[idx]
        free = [x for x in range(4) if x != c]
        for v1 in range(7):
            for v2 in range(7):
                row: list[int | None] = [None] * 4
                row[free[0]], row[free[1]], row[free[2]] = 0, v1, v2
                diffs = {
                    (c1, c2): (row[c2] - row[c1]) % 7  # type: ignore[operator]
                    for c1, c2 in used
                    if row[c1] is not None and row[c2] is not None
                }
                if any(d in used[key] for key, d in diffs.items()):
                    continue
                for key, d in diffs.items():
                    used[key].add(d)
                rows.append(row)
                if place(idx + 1):
                    return True
                rows.pop()
                for key, d in diffs.items():
                    used[key].discard(d)
        return False

    if not place(0):  # pragma: no cover - the search is exhaustive and succeeds
        raise AssertionError("no quasi-difference matrix found")
    return rows


#: A (12, 6; 1) difference matrix over Z_2 x Z_6 (Hanani 1975, Lemma 3.21; Handbook III.3):
#: element ``(a, b)`` is numbered ``6 * a + b``; row ``r`` is the ``r``-th of 12 base rows
#: and, for every two columns, the 12 differences of the rows are the 12 group elements
#: (``tests/unit/algorithms/test_rotation_designs.py`` checks it).
DM_12_6: list[list[int]] = [
    [0, 0, 0, 0, 0, 0], [0, 1, 6, 3, 8, 4], [0, 2, 8, 6, 1, 11], [0, 3, 2, 1, 11, 10],
    [0, 4, 7, 9, 5, 2], [0, 5, 1, 11, 9, 7], [0, 6, 9, 2, 3, 8], [0, 7, 11, 8, 10, 6],
    [0, 8, 4, 5, 2, 9], [0, 9, 10, 4, 7, 1], [0, 10, 5, 7, 6, 3], [0, 11, 3, 10, 4, 5],
]  # fmt: skip


def z2_z6_add(x: int, y: int) -> int:
    """Sum in Z_2 x Z_6 of elements numbered ``6 * a + b``.

    >>> z2_z6_add(7, 11), z2_z6_add(5, 1)
    (0, 0)
    """
    return ((x // 6 + y // 6) % 2) * 6 + (x % 6 + y % 6) % 6


@cache
def mols_12() -> tuple[Square, ...]:
    """Five MOLS of order 12 (Johnson, Dulmage and Mendelsohn 1961) from :data:`DM_12_6`.

    Developing the difference matrix over the group gives the 144 rows
    ``(d[r][0] + g, ..., d[r][5] + g, r)`` of an orthogonal array OA(7, 12): any two of the
    first six columns are orthogonal by the difference property, and the last column ``r``
    is orthogonal to each of them because every column of the matrix, translated, runs over
    the group. Columns 0 and 1 index the cell, the other five give the five squares.
    O(12^2 * 7).

    >>> squares = mols_12()
    >>> len(squares), all(map(is_latin, squares)), orthogonal(squares[0], squares[4])
    (5, True, True)
    """
    out = [[[0] * 12 for _ in range(12)] for _ in range(5)]
    for r, row in enumerate(DM_12_6):
        for g in range(12):
            cols = [z2_z6_add(d, g) for d in row] + [r]
            for i in range(5):
                out[i][cols[0]][cols[1]] = cols[i + 2]
    return tuple(out)


@cache
def mols_10() -> tuple[Square, Square]:
    """Two orthogonal Latin squares of order 10 (Bose-Shrikhande-Parker over Z_7 + 3).

    >>> a, b = mols_10()
    >>> is_latin(a), is_latin(b), orthogonal(a, b)
    (True, True, True)
    """
    oa: list[list[int]] = []
    slots = [(c, i) for c in range(4) for i in range(3)]
    base = QDM_7_3
    for r, row in enumerate(base):
        inf = None if r == 0 else slots[r - 1]
        for s in range(7):
            oa.append(
                [7 + inf[1] if inf and c == inf[0] else (row[c] + s) % 7 for c in range(4)]  # type: ignore[operator]
            )
    for x in range(3):
        for y in range(3):
            oa.append([7 + x, 7 + y, 7 + (x + y) % 3, 7 + (2 * x + y) % 3])
    a = [[0] * 10 for _ in range(10)]
    b = [[0] * 10 for _ in range(10)]
    for x, y, s, t in oa:
        a[x][y], b[x][y] = s, t
    return a, b


@cache
def mols_count(g: int) -> int:
    """How many MOLS of order ``g`` :func:`mols` builds (a lower bound on N(g)).

    >>> [mols_count(g) for g in (6, 9, 10, 12, 20, 30)]
    [1, 8, 2, 5, 3, 2]
    """
    if g < 2:
        return 0
    if prime_power(g):
        return g - 1
    best = {10: 2, 12: 5}.get(g, 1)
    for d in range(2, g):
        if g % d == 0:
            best = max(best, min(mols_count(d), mols_count(g // d)))
    return best


def mols(g: int, m: int) -> list[Square] | None:
    """``m`` MOLS of order ``g`` (field, orders 10 and 12, MacNeish products), or ``None``.

    >>> squares = mols(12, 2)
    >>> all(map(is_latin, squares)), orthogonal(*squares)
    (True, True)
    """
    if m < 1 or mols_count(g) < m:
        return None
    if prime_power(g):
        return field_mols(g)[:m]
    if g == 10:
        return list(mols_10())[:m]
    if g == 12:
        return list(mols_12())[:m]
    for d in range(2, g):
        if g % d == 0 and min(mols_count(d), mols_count(g // d)) >= m:
            first, second = mols(d, m), mols(g // d, m)
            if first and second:
                return product_mols(first, second)
    return None  # pragma: no cover - mols_count guarantees a factorisation
