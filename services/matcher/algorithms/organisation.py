"""The organisation as a directed graph, and the "same management line or team" rule.

HR names each person's manager, who is often an executive outside the network: the
graph's nodes are member ids and manager keys (``mgr:<HR key>``) alike, with one edge
``manager -> report`` per link of every member's ``management_line`` (direct manager
first) and ``manager_id``. Ancestors in that graph are everyone above a person.

Two people **conflict** (they never share a practice-exchange group nor a mentoring pair,
and rotations avoid seating them together) when one is an ancestor of the other, when
they share their direct manager, or when they belong to the same team.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from itertools import combinations

import networkx as nx

from services.matcher.algorithms.model import Pair, Person, pair

__all__ = ["Organisation"]


class Organisation:
    """The management graph of ``people`` and the conflicts it implies.

    Building it is O(sum of the lengths of the management lines); :meth:`above` is the
    union of the direct managers' own answers when the graph has no cycle (memoised:
    O(depth) on a tree), else a reverse breadth-first search; cached per person.

    Parameters
    ----------
    people : every person known (people outside a round still link managers).

    Examples
    --------
    >>> ps = [Person("a", "P", manager_id="mgr:ceo", management_line=("mgr:ceo",)),
    ...       Person("b", "P", manager_id="a", management_line=("a", "mgr:ceo")),
    ...       Person("c", "L", manager_id="mgr:dir", management_line=("mgr:dir", "mgr:ceo")),
    ...       Person("d", "L", manager_id="mgr:dir", team="compta"),
    ...       Person("e", "L", team="compta")]
    >>> org = Organisation(ps)
    >>> sorted(org.above("b")), org.conflict("a", "b"), org.conflict("b", "c")
    (['a', 'mgr:ceo'], True, False)
    >>> org.conflict("c", "d"), org.conflict("d", "e"), org.conflict("a", "c")
    (True, True, False)
    >>> sorted(tuple(sorted(p)) for p in org.conflict_pairs("abcde"))
    [('a', 'b'), ('c', 'd'), ('d', 'e')]
    """

    def __init__(self, people: Iterable[Person]) -> None:
        self.graph: nx.DiGraph = nx.DiGraph()
        self.direct: dict[str, str | None] = {}
        self.team: dict[str, str | None] = {}
        self._above: dict[str, frozenset[str]] = {}
        self._acyclic: bool | None = None
        for p in people:
            self.graph.add_node(p.id)
            line = p.management_line or ((p.manager_id,) if p.manager_id else ())
            below = p.id
            for boss in line:
                if boss == below or boss == p.id:
                    break  # bad data: a person never manages themself
                self.graph.add_edge(boss, below)
                below = boss
            if p.manager_id and p.manager_id != p.id:
                self.graph.add_edge(p.manager_id, p.id)
            self.direct[p.id] = p.manager_id or (line[0] if line else None)
            self.team[p.id] = p.team or None

    def above(self, person: str) -> frozenset[str]:
        """Everyone above ``person`` (members and outside managers; cycles cut)."""
        found = self._above.get(person)
        if found is not None:
            return found
        if person not in self.graph:
            found = frozenset()
        elif self._acyclic is None:
            self._acyclic = nx.is_directed_acyclic_graph(self.graph)
            return self.above(person)
        elif self._acyclic:
            return self._above_acyclic(person)
        else:
            found = frozenset(nx.ancestors(self.graph, person)) - {person}
        self._above[person] = found
        return found

    def _above_acyclic(self, person: str) -> frozenset[str]:
        """:meth:`above` from the managers' answers, without recursion (no cycle)."""
        stack = [person]
        while stack:
            top = stack[-1]
            todo = [b for b in self.graph.predecessors(top) if b not in self._above]
            if todo:
                stack.extend(todo)
                continue
            stack.pop()
            if top not in self._above:
                found: set[str] = set()
                for boss in self.graph.predecessors(top):
                    found.add(boss)
                    found |= self._above[boss]
                self._above[top] = frozenset(found)
        return self._above[person]

    def conflict(self, a: str, b: str) -> bool:
        """True when ``a`` and ``b`` share a management line or a team (O(depth))."""
        if a == b:
            return False
        if a in self.above(b) or b in self.above(a):
            return True
        boss, team = self.direct.get(a), self.team.get(a)
        return (boss is not None and boss == self.direct.get(b)) or (
            team is not None and team == self.team.get(b)
        )

    def conflict_pairs(self, ids: Collection[str]) -> set[Pair]:
        """Every conflicting pair among ``ids``.

        Complexity: O(sum of depths + sum over direct managers and teams of size**2).
        """
        inside = set(ids)
        pairs = {pair(a, b) for a in inside for b in self.above(a) if b in inside}
        circles: dict[tuple[str, str], list[str]] = defaultdict(list)
        for a in inside:
            if self.direct.get(a) is not None:
                circles[("manager", str(self.direct[a]))].append(a)
            if self.team.get(a) is not None:
                circles[("team", str(self.team[a]))].append(a)
        for circle in circles.values():
            pairs.update(pair(a, b) for a, b in combinations(circle, 2))
        return pairs
