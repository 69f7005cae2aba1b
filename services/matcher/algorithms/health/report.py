"""The network's health report: monthly figures, fairness between sites, the network."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from services.matcher.algorithms.health.activity import monthly_figures
from services.matcher.algorithms.health.model import (
    MENTORING,
    PUBLISHED,
    Fact,
    HealthReport,
    Member,
    SiteFairness,
)
from services.matcher.algorithms.health.network import analyse_network


def site_fairness(
    facts: Sequence[Fact], members: Sequence[Member], start: date, end: date
) -> tuple[tuple[SiteFairness, ...], float | None]:
    """Per kind of match, each site's mean score over ``[start, end]`` minus the kind's
    overall mean; and the overall mean of mentoring pairs.

    The mean is over people: each member of a published match counts its score once for
    their site, and once in the overall mean. So, within a kind, the gaps weighted by
    ``matches`` sum to zero, and a site whose people get weaker matches shows a negative
    gap. Kinds are not mixed (their scores are on different scales). Complexity: O(F).

    >>> from services.matcher.algorithms.health.model import Fact, Member
    >>> people = [Member("a", "Lyon"), Member("b", "Paris"), Member("c", "Paris")]
    >>> facts = [Fact("published", date(2026, 1, 5), "m1", ("a", "b"), "mentoring", 0.9),
    ...          Fact("published", date(2026, 1, 6), "m2", ("c", "b"), "mentoring", 0.3),
    ...          Fact("published", date(2026, 1, 5), "g1", ("c",), "groups", 3.0)]
    >>> sites, overall = site_fairness(facts, people, date(2026, 1, 1), date(2026, 1, 31))
    >>> for s in sites:
    ...     print(s.kind, s.site, s.matches, round(s.gap, 2))
    groups Paris 1 0.0
    mentoring Lyon 1 0.3
    mentoring Paris 3 -0.1
    >>> round(overall, 2)
    0.6
    """
    site = {m.id: m.site for m in members}
    scores: dict[tuple[str, str], list[float]] = defaultdict(list)
    for f in facts:
        if f.kind != PUBLISHED or f.score is None or not start <= f.on <= end:
            continue
        for mid in f.members:
            if mid in site:
                scores[(f.match_kind, site[mid])].append(f.score)
    rows: list[SiteFairness] = []
    overall_of: dict[str, float] = {}
    for kind in sorted({k for k, _ in scores}):
        mine = {s: v for (k, s), v in scores.items() if k == kind}
        # fsum is exactly rounded: the figures do not depend on the order of the facts
        overall = math.fsum(q for v in mine.values() for q in v) / sum(map(len, mine.values()))
        overall_of[kind] = overall
        for s in sorted(mine):
            mean = math.fsum(mine[s]) / len(mine[s])
            rows.append(SiteFairness(kind, s, len(mine[s]), mean, overall, mean - overall))
    return tuple(rows), overall_of.get(MENTORING)


def analyse_health(
    facts: Sequence[Fact],
    members: Sequence[Member],
    start: date,
    end: date,
    network: bool = True,
) -> HealthReport:
    """The network's health from ``start`` to ``end``, from dated facts and members.

    Objective: none (a description). Figures per month and segment (see
    :func:`~.activity.monthly_figures`), fairness between sites over the period (see
    :func:`site_fairness`, within each kind of match) and the network of who met whom over
    the 12 months up to ``end`` (see :func:`~.network.analyse_network`). Pure and
    deterministic: the same facts, in any order, give the same report.
    Complexity: O(F + M * months + L) for F facts, M members and L links. With
    ``network=False`` the network part (about half the time) is left out.

    References: the activity window (90 days) and the 30-day mentoring of newcomers
    follow issue 12; the network measures follow Newman, *Networks* (2nd ed., 2018),
    ch. 6-7.

    >>> from services.matcher.algorithms.health.model import Fact, Member
    >>> people = [Member("a", "Lyon", "assistant"), Member("b", "Paris", "assistant")]
    >>> facts = [Fact("published", date(2026, 1, 5), "m1", ("a", "b"), "mentoring", 0.8),
    ...          Fact("accepted", date(2026, 1, 6), "m1", ("a",)),
    ...          Fact("accepted", date(2026, 1, 6), "m1", ("b",)),
    ...          Fact("met", date(2026, 1, 20), "m1", ("b",)),
    ...          Fact("feedback", date(2026, 3, 1), "m1", ("a",), score=5)]
    >>> r = analyse_health(facts, people, date(2026, 1, 1), date(2026, 3, 31))
    >>> [(m.month, m.active, m.pairs_met) for m in r.months if m.segment.dimension == "all"]
    [('2026-01', 2, 1), ('2026-02', 2, 0), ('2026-03', 2, 0)]
    >>> r.network.edges, r.network.largest_component_share
    (1, 1.0)
    """
    fairness, overall = site_fairness(facts, members, start, end)
    return HealthReport(
        start=start,
        end=end,
        months=monthly_figures(facts, members, start, end),
        fairness=fairness,
        overall_quality=overall,
        network=analyse_network(facts, members, end) if network else None,
    )
