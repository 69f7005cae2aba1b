"""The organisation as a directed graph: who manages whom (plain data, networkx).

Nodes are member ids and ``mgr:<HR key>`` for managers who are not members; an edge
``manager -> report`` says who reports to whom. Each node has at most one manager
(one predecessor). HR data may hold a cycle by mistake: every walk here stops on a
node it has already seen, so a cycle never loops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

OUTSIDE_PREFIX = "mgr:"


def outside_node(key: str) -> str:
    """Node key of a manager who is not a member.

    >>> outside_node("E042")
    'mgr:E042'
    """
    return f"{OUTSIDE_PREFIX}{key}"


def is_outside(node: str) -> bool:
    return node.startswith(OUTSIDE_PREFIX)


def build_graph(edges: Iterable[tuple[str, str | None]]) -> nx.DiGraph:
    """The organisation graph from ``(node, its manager or None)`` pairs.

    Objective: one directed edge manager -> report per pair with a manager; nodes
    without a manager are kept as roots. O(n) for n pairs.

    >>> g = build_graph([("a", "mgr:b"), ("mgr:b", None)])
    >>> sorted(g.edges)
    [('mgr:b', 'a')]
    """
    graph = nx.DiGraph()
    for node, manager in edges:
        graph.add_node(node)
        if manager and manager != node:
            graph.add_edge(manager, node)
    return graph


def set_manager(graph: nx.DiGraph, node: str, manager: str | None) -> None:
    """Replace ``node``'s manager edge in place (a node has one manager at most)."""
    graph.add_node(node)
    graph.remove_edges_from([(p, node) for p in list(graph.predecessors(node))])
    if manager and manager != node:
        graph.add_edge(manager, node)


def management_line(graph: nx.DiGraph, node: str) -> tuple[str, ...]:
    """Every manager above ``node``, its direct manager first.

    Constraints: each node has at most one predecessor; a cycle ends the walk at the
    first node seen twice (the node itself is never in its own line). Complexity
    O(d) for a line of d managers.

    >>> g = build_graph([("a", "mgr:b"), ("mgr:b", "mgr:c"), ("mgr:c", "a")])
    >>> management_line(g, "a")
    ('mgr:b', 'mgr:c')
    >>> management_line(g, "unknown")
    ()
    """
    if node not in graph:
        return ()
    line: list[str] = []
    seen = {node}
    current = node
    while True:
        managers = list(graph.predecessors(current))
        if not managers or managers[0] in seen:
            return tuple(line)
        current = managers[0]
        seen.add(current)
        line.append(current)


def below(graph: nx.DiGraph, nodes: Iterable[str]) -> set[str]:
    """Every node under one of ``nodes`` in the organisation (its reports, theirs...).

    >>> sorted(below(build_graph([("a", "mgr:b"), ("c", "a")]), ["mgr:b"]))
    ['a', 'c']
    """
    found: set[str] = set()
    for node in nodes:
        if node in graph:
            found |= nx.descendants(graph, node)
    return found


def same_line_or_team(
    graph: nx.DiGraph, a: str, b: str, teams: Mapping[str, str | None] | None = None
) -> bool:
    """True when ``a`` and ``b`` share a management line or a team.

    Sharing a line means one is above the other (in the other's management line);
    sharing a team means both have the same, non-empty team code in ``teams``.
    Complexity O(d) for lines of d managers.

    >>> g = build_graph([("a", "mgr:b"), ("c", "a"), ("d", None)])
    >>> same_line_or_team(g, "c", "mgr:b"), same_line_or_team(g, "c", "d")
    (True, False)
    >>> same_line_or_team(g, "c", "d", {"c": "T1", "d": "T1"})
    True
    """
    if a in management_line(graph, b) or b in management_line(graph, a):
        return True
    team_a = (teams or {}).get(a)
    return bool(team_a) and team_a == (teams or {}).get(b)
