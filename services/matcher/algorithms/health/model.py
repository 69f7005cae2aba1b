"""The plain data of the network's health: members, facts, and the report's parts.

A *fact* is one thing that happened to a published match, on a day: it was published,
a member accepted, declined or let it go unanswered, answered "we met" at the check-in,
a facilitator recorded a session with its attendees, a member gave feedback, or the
match was closed. The facts are read from events (see
``services/matcher/service_layer/health.py``); here they are plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

PUBLISHED = "published"
ACCEPTED = "accepted"
DECLINED = "declined"
UNANSWERED = "unanswered"
MET = "met"
SESSION = "session"
FEEDBACK = "feedback"
CLOSED = "closed"
FACT_KINDS = (PUBLISHED, ACCEPTED, DECLINED, UNANSWERED, MET, SESSION, FEEDBACK, CLOSED)

MENTORING, GROUPS, ROTATIONS = "mentoring", "groups", "rotations"
ACTIVE_DAYS = 90  # "active": any participation in the last 90 days
MENTOR_WITHIN_DAYS = 30  # a newcomer should have a mentor within 30 days of arrival
NETWORK_DAYS = 365  # the network of who met whom: the last 12 months


@dataclass(frozen=True, slots=True)
class Member:
    """A member as the health report sees them (no personal data).

    ``arrival`` is the start date HR imports (``MatchingProfile.start_date``), if known.
    """

    id: str
    site: str
    function: str = ""
    arrival: date | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """One dated fact about a published match.

    Attributes
    ----------
    kind : one of :data:`FACT_KINDS`.
    on : the day it happened (UTC).
    match_id : the match it is about.
    members : who it concerns. ``published``: everyone in the match (mentoring:
        mentor first, mentee second; rotations: the attendee); ``accepted``,
        ``declined``, ``unanswered``, ``met``, ``feedback``: the member who acted (or
        did not); ``session``: the attendees; ``closed``: nobody.
    match_kind : ``published`` only: ``mentoring``, ``groups`` or ``rotations``.
    score : ``published``: the match score the matcher stored (None if none);
        ``feedback``: the satisfaction, 1 to 5.
    tables : ``published`` rotations only: each table the attendee sat at, with them.
    """

    kind: str
    on: date
    match_id: str
    members: tuple[str, ...] = ()
    match_kind: str = ""
    score: float | None = None
    tables: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Segment:
    """Whom a row of figures is about: everyone, one site or one function."""

    dimension: str  # "all", "site" or "function"
    value: str = ""


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """The figures of one month for one segment.

    ``active`` counts members with any participation (accepted, met, attended a session,
    gave feedback) in the 90 days up to the month's last day. Rates are None when there is
    nothing to divide by. ``quality_gap`` is the segment's mean match score minus the
    month's overall mean (fairness). Quality is the mentoring pairs' score (the matcher's
    pair score; groups' scores are on another scale, see :class:`SiteFairness`).
    """

    month: str  # "YYYY-MM"
    segment: Segment
    members: int
    active: int
    accepted: int
    declined: int
    unanswered: int
    acceptance_rate: float | None
    pairs_met: int
    sessions: int
    satisfaction_mean: float | None
    satisfaction_count: int
    newcomers: int
    newcomers_mentored: int
    mean_quality: float | None
    quality_gap: float | None


@dataclass(frozen=True, slots=True)
class SiteFairness:
    """A site's mean match score over the period for one kind of match (over its people:
    ``matches`` counts member-matches), the kind's overall mean, and the gap between them.

    Scores are compared within a kind only: a mentoring pair's score and a group's score
    are on different scales.
    """

    kind: str
    site: str
    matches: int
    mean_quality: float
    overall: float
    gap: float


@dataclass(frozen=True, slots=True)
class SiteLink:
    """How strongly two sites are linked (``a <= b``; ``a == b``: inside one site).

    ``normalised`` is ``edges`` over the number of possible pairs between them (a density
    in 0..1), so a small site is not penalised for being small.
    """

    site_a: str
    site_b: str
    edges: int
    normalised: float


@dataclass(frozen=True, slots=True)
class Bridge:
    """A member who links sites: the other sites their contacts are in.

    ``cut_vertex`` is True when removing the member disconnects part of the network.
    """

    member_id: str
    site: str
    other_sites: int
    cross_site_contacts: int
    cut_vertex: bool


@dataclass(frozen=True, slots=True)
class NetworkFigures:
    """Who actually met whom over the window: sizes, isolation, site links, bridges.

    ``site_centrality`` is the betweenness of each site in the site-projected graph (sites
    linked when a member of one met a member of the other), 0..1.
    """

    start: date
    end: date
    members: int
    edges: int
    isolated: int
    largest_component_share: float
    components: int
    site_links: tuple[SiteLink, ...]
    site_centrality: tuple[tuple[str, float], ...]
    bridges: tuple[Bridge, ...]


@dataclass(frozen=True, slots=True)
class HealthReport:
    """The network's health from ``start`` to ``end`` (both included).

    ``months`` has one row per month and segment: everyone first, then each site, then
    each function, months in order inside each.
    """

    start: date
    end: date
    months: tuple[MonthFigures, ...]
    fairness: tuple[SiteFairness, ...]
    overall_quality: float | None  # mentoring pairs' mean score over the period
    network: NetworkFigures | None  # None when not asked for


def month_key(day: date) -> str:
    """``"YYYY-MM"`` of a day.

    >>> month_key(date(2026, 3, 9))
    '2026-03'
    """
    return f"{day.year:04d}-{day.month:02d}"


def month_span(start: date, end: date) -> list[tuple[str, date, date]]:
    """Each month touching ``[start, end]``: key, first day, last day (clipped to the span).

    >>> [m[0] for m in month_span(date(2026, 1, 20), date(2026, 3, 2))]
    ['2026-01', '2026-02', '2026-03']
    """
    out: list[tuple[str, date, date]] = []
    first = start
    while first <= end:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(following - timedelta(days=1), end)
        out.append((month_key(first), first, last))
        first = following
    return out


def attendees(session: Fact, published: Mapping[str, Fact]) -> tuple[str, ...]:
    """Who came to a session: its list, or the group's members when none was recorded.

    >>> group = Fact("published", date(2026, 1, 1), "g", ("a", "b"), "groups")
    >>> attendees(Fact("session", date(2026, 2, 1), "g"), {"g": group})
    ('a', 'b')
    """
    if session.members:
        return session.members
    group = published.get(session.match_id)
    return group.members if group is not None and group.match_kind == GROUPS else ()


def canonical(facts: Iterable[Fact]) -> list[Fact]:
    """The facts in one fixed order, so sums of floats do not depend on arrival order.

    >>> [f.match_id for f in canonical([Fact("met", date(2026, 2, 1), "b"),
    ...                                 Fact("met", date(2026, 1, 1), "a")])]
    ['a', 'b']
    """
    return sorted(
        facts,
        key=lambda f: (f.on, f.kind, f.match_id, f.members, f.match_kind, f.score or 0.0),
    )
