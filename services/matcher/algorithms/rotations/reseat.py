"""Reseat as few people as possible after departures, one rotation at a time.

Used by :func:`~.mend.repair_rotations`: once the departed are taken off their tables, a
rotation may break the table-size rule (one table too many, or sizes differing by more
than one) or seat one site above its share at a table that lost someone. Each step moves
or swaps the one person (or pair) that costs least: first the people they must not meet
(forbidden, same line or team, already met: weights of the planner), then the site excess
of both tables. Nobody else moves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from services.matcher.algorithms.model import Pair
from services.matcher.algorithms.rotations.report import Rounds, site_cap, table_sizes

__all__ = ["reseat"]


class _Rotation:
    def __init__(
        self, tables: list[list[str]], avoid: Mapping[Pair, int], sites: Mapping[str, str],
        share: float,
    ) -> None:  # fmt: skip
        self.tabs, self.avoid, self.sites, self.share = tables, avoid, sites, share

    def clash(self, m: str, table: list[str]) -> int:
        return sum(self.avoid.get(frozenset((m, x)), 0) for x in table if x != m)

    def excess(self, table: list[str]) -> int:
        cap = site_cap(len(table), self.share)
        return sum(max(0, c - cap) for c in Counter(self.sites.get(x) for x in table).values())

    def move_cost(self, m: str, i: int, j: int) -> tuple[int, int, str]:
        src, dst = self.tabs[i], self.tabs[j]
        rest = [x for x in src if x != m]
        delta = self.excess(rest) + self.excess([*dst, m]) - self.excess(src) - self.excess(dst)
        return self.clash(m, dst), delta, m

    def swap_cost(self, a: str, i: int, b: str, j: int) -> tuple[int, int]:
        ti, tj = self.tabs[i], self.tabs[j]
        new_i = [b if x == a else x for x in ti]
        new_j = [a if x == b else x for x in tj]
        clash = self.clash(b, new_i) + self.clash(a, new_j) - self.clash(a, ti) - self.clash(b, tj)
        delta = self.excess(new_i) + self.excess(new_j) - self.excess(ti) - self.excess(tj)
        return clash, delta


def reseat(
    rounds: Rounds, table_size: int, n: int, avoid: Mapping[Pair, int],
    sites: Mapping[str, str], max_site_share: float, touched: list[set[int]],
) -> tuple[Rounds, int] | None:  # fmt: skip
    """Fix the size rule (and the site share of the ``touched`` tables) of each rotation.

    Returns the rounds and how many moves or swaps were made, or ``None`` when a
    rotation has too few tables or no table has room. Complexity: O(moves * n *
    table_size) per rotation.

    >>> r, moves = reseat([[("a", "b", "c"), ("d",)]], 3, 4, {}, {}, 1.0, [{1}])
    >>> r, moves
    ([[('b', 'c'), ('a', 'd')]], 1)
    """
    target = table_sizes(n, table_size)
    out: Rounds = []
    moves = 0
    for r, (tables, hurt) in enumerate(zip(rounds, touched, strict=True)):
        if len(tables) < len(target):
            return None
        others = {**dict.fromkeys(_pairs([*out, *rounds[r + 1 :]]), 2), **avoid}
        rot = _Rotation([list(t) for t in tables], others, sites, max_site_share)
        done = _sizes(rot, len(target), table_size, hurt)
        if done is None:
            return None
        moves += done + _sites(rot, hurt)
        out.append([tuple(sorted(t)) for t in rot.tabs])
    return out, moves


def _sizes(rot: _Rotation, count: int, table_size: int, hurt: set[int]) -> int | None:
    moves = 0
    tabs = rot.tabs
    while len(tabs) > count:  # a table too many: an empty one goes, or the last one's
        empty = [i for i, t in enumerate(tabs) if not t]  # people join the others
        if empty:  # the last table takes its number (only its people change table)
            last = tabs.pop()
            if empty[0] < len(tabs):
                tabs[empty[0]] = last
                hurt.add(empty[0])
                moves += 1
            continue
        for m in tabs.pop():  # the last table, so that no other table number changes
            room = [j for j, t in enumerate(tabs) if len(t) < table_size]
            if not room:
                return None
            best = min(room, key=lambda j: (len(tabs[j]), rot.clash(m, tabs[j]), j))
            tabs[best].append(m)
            hurt.add(best)
            moves += 1
    while max(map(len, tabs)) - min(map(len, tabs)) > 1:
        most, least = max(map(len, tabs)), min(map(len, tabs))
        _, m, i, j = min(
            (rot.move_cost(x, i, j)[:2], x, i, j)
            for i, t in enumerate(tabs) if len(t) == most
            for j, u in enumerate(tabs) if len(u) == least
            for x in t
        )  # fmt: skip
        tabs[i].remove(m)
        tabs[j].append(m)
        hurt.update((i, j))
        moves += 1
    return moves


def _sites(rot: _Rotation, hurt: set[int]) -> int:
    """Swap people out of the touched tables that seat a site above its share, when a swap
    lowers the excess without anyone meeting someone they should not."""
    swaps = 0
    for i in sorted(h for h in hurt if h < len(rot.tabs)):  # the popped table is gone
        while rot.excess(rot.tabs[i]) > 0:
            options = [
                (rot.swap_cost(a, i, b, j), a, b, j)
                for a in rot.tabs[i]
                for j, u in enumerate(rot.tabs) if j != i
                for b in u if rot.sites.get(a) != rot.sites.get(b)
            ]  # fmt: skip
            good = [o for o in options if o[0][0] <= 0 and o[0][1] < 0]
            if not good:
                break
            _, a, b, j = min(good)
            rot.tabs[i][rot.tabs[i].index(a)] = b
            rot.tabs[j][rot.tabs[j].index(b)] = a
            swaps += 1
    return swaps


def _pairs(rounds: Rounds) -> set[Pair]:
    """Pairs seated together in ``rounds`` (they must not meet again in another one)."""
    return {frozenset((a, b)) for r in rounds for t in r for a in t for b in t if a < b}
