"""The network of who has actually met whom, analysed with networkx.

Two members are linked when, inside the window, they were a pair that met (a "met"
answer at the check-in), attended one session of their group together (the session's
attendees; a session recorded without attendees links the group's members), or sat at
one seminar table (a published seating plan).

Who bridges sites. Betweenness centrality would rank members by the shortest paths
through them, but costs O(n m) (Brandes): minutes at 10,000 members and a year of
meetings. We report instead, in linear time, (1) each member's reach across sites: how
many *other* sites their contacts are in, and how many such contacts; (2) whether the
member is a cut vertex (an articulation point: removing them disconnects part of the
network, Hopcroft & Tarjan); and (3) betweenness on the *site-projected* graph (a
handful of nodes), which says which sites the others reach through.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from itertools import combinations

import networkx as nx

from services.matcher.algorithms.health.model import (
    MET,
    NETWORK_DAYS,
    PUBLISHED,
    ROTATIONS,
    SESSION,
    Bridge,
    Fact,
    Member,
    NetworkFigures,
    SiteLink,
    attendees,
)

TOP_BRIDGES = 20


def _cliques(facts: Sequence[Fact], start: date, end: date) -> Iterable[tuple[str, ...]]:
    """Each set of people who met together inside ``[start, end]``."""
    published = {f.match_id: f for f in facts if f.kind == PUBLISHED}
    met: set[str] = set()
    for f in facts:
        if not start <= f.on <= end:
            continue
        if f.kind == MET and f.match_id not in met:
            met.add(f.match_id)
            match = published.get(f.match_id)
            if match is not None and match.match_kind != ROTATIONS:
                yield match.members
        elif f.kind == SESSION:
            yield attendees(f, published)
        elif f.kind == PUBLISHED and f.match_kind == ROTATIONS:
            yield from f.tables


def meeting_graph(
    facts: Sequence[Fact], members: Sequence[Member], start: date, end: date
) -> nx.Graph:
    """Members as nodes (with their ``site``), an edge per pair who met in ``[start, end]``.

    Each distinct set of people who met is added once (a seminar table is stated by
    each of the people seated at it). O(n + sum of k^2 over the distinct sets of k).

    >>> from services.matcher.algorithms.health.model import Fact, Member
    >>> g = meeting_graph([Fact("session", date(2026, 2, 1), "g1", ("a", "b", "c"))],
    ...                   [Member("a", "Lyon"), Member("b", "Paris"), Member("c", "Lyon")],
    ...                   date(2026, 1, 1), date(2026, 12, 31))
    >>> sorted(g.edges())
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    """
    graph = nx.Graph()
    graph.add_nodes_from((m.id, {"site": m.site}) for m in members)
    seen: set[tuple[str, ...]] = set()
    for clique in _cliques(facts, start, end):
        if clique in seen:  # a seminar table comes once per person seated at it
            continue
        seen.add(clique)
        known = sorted({mid for mid in clique if mid in graph})
        graph.add_edges_from(combinations(known, 2))
    return graph


def _site_links(graph: nx.Graph, site: Mapping[str, str]) -> tuple[SiteLink, ...]:
    sizes = Counter(site.values())
    edges = Counter(tuple(sorted((site[u], site[v]))) for u, v in graph.edges())
    links = []
    for a, b in combinations(sorted(sizes), 2):
        possible = sizes[a] * sizes[b]
        links.append(SiteLink(a, b, edges[(a, b)], edges[(a, b)] / possible))
    for a in sorted(sizes):
        possible = sizes[a] * (sizes[a] - 1) // 2
        links.append(SiteLink(a, a, edges[(a, a)], edges[(a, a)] / possible if possible else 0.0))
    return tuple(sorted(links, key=lambda link: (link.site_a, link.site_b)))


def _site_centrality(links: Sequence[SiteLink], sites: Iterable[str]) -> tuple:
    projected = nx.Graph()
    projected.add_nodes_from(sites)
    projected.add_edges_from(
        (k.site_a, k.site_b) for k in links if k.edges and k.site_a != k.site_b
    )
    centrality = nx.betweenness_centrality(projected, normalized=True)
    return tuple(sorted(((s, round(c, 6)) for s, c in centrality.items())))


def _bridges(graph: nx.Graph, site: Mapping[str, str]) -> tuple[Bridge, ...]:
    cut = set(nx.articulation_points(graph))
    found = []
    for mid in graph.nodes:
        others = [site[n] for n in graph.neighbors(mid) if site[n] != site[mid]]
        if others:
            found.append(Bridge(mid, site[mid], len(set(others)), len(others), mid in cut))
    found.sort(key=lambda b: (-b.other_sites, -b.cut_vertex, -b.cross_site_contacts, b.member_id))
    return tuple(found[:TOP_BRIDGES])


def analyse_network(
    facts: Sequence[Fact], members: Sequence[Member], end: date, days: int = NETWORK_DAYS
) -> NetworkFigures:
    """Isolation, connectedness, site-to-site links and bridges of who met whom.

    Objective: describe, not optimise. The window is the ``days`` days up to ``end``.
    Complexity: O(n + m) for n members and m links, plus O(s^3) for s sites (site
    betweenness). Reference: U. Brandes, "A faster algorithm for betweenness
    centrality", J. Math. Sociol. 25 (2001); J. Hopcroft, R. Tarjan, "Efficient algorithms
    for graph manipulation", CACM 16 (1973).

    >>> from services.matcher.algorithms.health.model import Fact, Member
    >>> people = [Member("a", "Lyon"), Member("b", "Paris"), Member("c", "Paris"),
    ...           Member("d", "Nice")]
    >>> facts = [Fact("published", date(2026, 1, 5), "m1", ("a", "b"), "mentoring"),
    ...          Fact("met", date(2026, 1, 20), "m1", ("a",)),
    ...          Fact("session", date(2026, 2, 3), "g1", ("b", "c"))]
    >>> net = analyse_network(facts, people, date(2026, 6, 30))
    >>> net.edges, net.isolated, net.largest_component_share
    (2, 1, 0.75)
    >>> [(b.member_id, b.other_sites, b.cut_vertex) for b in net.bridges]
    [('b', 1, True), ('a', 1, False)]
    """
    start = end - timedelta(days=days - 1)
    graph = meeting_graph(facts, members, start, end)
    site = {m.id: m.site for m in members}
    n = graph.number_of_nodes()
    parts = list(nx.connected_components(graph)) if n else []
    links = _site_links(graph, site)
    return NetworkFigures(
        start=start,
        end=end,
        members=n,
        edges=graph.number_of_edges(),
        isolated=nx.number_of_isolates(graph),
        largest_component_share=max(map(len, parts)) / n if n else 0.0,
        components=len(parts),
        site_links=links,
        site_centrality=_site_centrality(links, set(site.values())),
        bridges=_bridges(graph, site),
    )
