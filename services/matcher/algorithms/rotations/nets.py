"""Repeat-free plans from MOLS and from the lines of affine spaces.

* :func:`net_design` — ``m`` MOLS of order ``g`` (:mod:`.mols`): ``g^2`` people in a grid,
  round 0 seats each row together, round 1 each column, round ``2 + i`` each symbol of
  square ``i``; orthogonality makes two people share at most one of these classes
  (``m + 2`` rounds of ``g`` tables of ``g``; 10 x 10 for 4 rounds, 12 x 12 for 4).
* :func:`resolvable_td` — ``s - 1`` MOLS of order ``g``: ``s * g`` people in ``s`` groups,
  round ``r`` seats at table ``c`` person ``c`` of group 0 and person ``L_j[r][c]`` of group
  ``j``; ``g`` rounds of ``g`` tables of ``s`` (one person per group at every table).
* :func:`affine_lines` — the lines of the affine space AG(d, q): ``q^d`` people, one round
  per direction (``(q^d - 1) / (q - 1)`` rounds of tables of ``q``): the affine plane
  AG(2, q) (``q + 1`` rounds; the projective plane PG(2, q) minus a line), KTS(3^d) and
  RBIBD(4^d, 4, 1).

References
----------
.. [1] C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed.,
   III.3 (MOLS and transversal designs), VII.2 (affine and projective geometries).
"""

from __future__ import annotations

import itertools

from services.matcher.algorithms.rotations.checker import Design
from services.matcher.algorithms.rotations.designs import GF, prime_power
from services.matcher.algorithms.rotations.mols import Square


def net_design(squares: list[Square], rounds: int) -> Design | None:
    """Rows, columns, then the symbols of each square; ``None`` beyond ``len + 2`` rounds.

    Person ``x * g + y`` sits in cell ``(x, y)``. O(rounds * g^2).

    >>> from services.matcher.algorithms.rotations.mols import mols
    >>> d = net_design(mols(10, 2), 4)
    >>> len(d), {len(t) for r in d for t in r}
    (4, {10})
    """
    if not squares or rounds > len(squares) + 2 or rounds < 1:
        return None
    g = len(squares[0])
    design: Design = []
    for r in range(rounds):
        tables: list[list[int]] = [[] for _ in range(g)]
        for x, y in itertools.product(range(g), repeat=2):
            label = x if r == 0 else y if r == 1 else squares[r - 2][x][y]
            tables[label].append(x * g + y)
        design.append(tables)
    return design


def resolvable_td(s: int, squares: list[Square], rounds: int) -> Design | None:
    """``g`` rounds of ``g`` tables of ``s`` for ``s * g`` people from ``s - 1`` MOLS.

    Person ``j * g + x`` is member ``x`` of group ``j``. O(rounds * s * g).

    >>> from services.matcher.algorithms.rotations.mols import mols
    >>> d = resolvable_td(3, mols(10, 2), 10)
    >>> len(d), len(d[0]), {len(t) for r in d for t in r}
    (10, 10, {3})
    """
    if not squares or len(squares) < s - 1 or s < 2:
        return None
    g = len(squares[0])
    if rounds > g or rounds < 1:
        return None
    return [
        [[c] + [j * g + squares[j - 1][r][c] for j in range(1, s)] for c in range(g)]
        for r in range(rounds)
    ]


def affine_lines(q: int, d: int, rounds: int) -> Design | None:
    """Parallel classes of lines of AG(d, q), one per direction; ``None`` if too many rounds.

    Point number = base-``q`` digits of the coordinates. Directions are taken with their
    first non-zero coordinate 1. O(rounds * q^d * d * e).

    >>> d = affine_lines(3, 2, 4)      # the affine plane of order 3: KTS(9)
    >>> len(d), [sorted(t) for t in d[0]]
    (4, [[0, 3, 6], [1, 4, 7], [2, 5, 8]])
    """
    if prime_power(q) is None or d < 1 or rounds < 1:
        return None
    directions = [
        u for u in itertools.product(range(q), repeat=d) if any(u) and next(c for c in u if c) == 1
    ]
    if rounds > len(directions):
        return None
    f = GF(q)
    points = list(itertools.product(range(q), repeat=d))

    def number(v: tuple[int, ...]) -> int:
        return sum(c * q**i for i, c in enumerate(v))

    design: Design = []
    for u in directions[:rounds]:
        seen: set[int] = set()
        tables = []
        for x in points:
            if number(x) in seen:
                continue
            line = [
                number(tuple(f.add(a, f.mul(t, b)) for a, b in zip(x, u, strict=True)))
                for t in range(q)
            ]
            seen.update(line)
            tables.append(sorted(line))
        design.append(tables)
    return design
