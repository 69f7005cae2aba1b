"""Monthly figures per segment (everyone, each site, each function) from dated facts.

One pass over the facts puts each into the (month, segment) tallies it belongs to, so the
cost does not grow with the number of segments.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from services.matcher.algorithms.health.model import (
    ACCEPTED,
    ACTIVE_DAYS,
    DECLINED,
    FEEDBACK,
    MENTOR_WITHIN_DAYS,
    MENTORING,
    MET,
    PUBLISHED,
    SESSION,
    UNANSWERED,
    Fact,
    Member,
    MonthFigures,
    Segment,
    attendees,
    canonical,
    month_span,
)

EVERYONE = Segment("all")


@dataclass(slots=True)
class _Tally:
    active: int = 0
    accepted: int = 0
    declined: int = 0
    unanswered: int = 0
    pairs_met: int = 0
    sessions: int = 0
    satisfaction_sum: float = 0.0
    satisfaction_count: int = 0
    newcomers: int = 0
    newcomers_mentored: int = 0
    quality_sum: float = 0.0
    quality_count: int = 0


def segments_of(members: Iterable[Member]) -> list[Segment]:
    """Everyone, then each site, then each function (functions left blank are skipped)."""
    people = list(members)
    sites = sorted({m.site for m in people})
    functions = sorted({m.function for m in people if m.function})
    return [
        EVERYONE,
        *(Segment("site", s) for s in sites),
        *(Segment("function", f) for f in functions),
    ]


class _Tallies:
    """Tallies by (month, segment); a fact about several members counts once per segment.

    Months and segments are list indices (hashing frozen dataclasses a million times
    costs seconds at 10,000 members).
    """

    def __init__(
        self, people: Mapping[str, Member], span: Sequence[tuple[str, date, date]]
    ) -> None:
        self.segments = segments_of(people.values())
        index = {s: k for k, s in enumerate(self.segments)}
        self.of: dict[str, tuple[int, ...]] = {
            mid: tuple(index[s] for s in _member_segments(m)) for mid, m in people.items()
        }
        self.month = {(first.year, first.month): k for k, (_, first, _) in enumerate(span)}
        self.by = [[_Tally() for _ in self.segments] for _ in span]

    def targets(self, day: date, member_ids: Sequence[str]) -> list[_Tally]:
        k = self.month.get((day.year, day.month))
        if k is None:
            return []
        row = self.by[k]
        if len(member_ids) == 1:
            return [row[s] for s in self.of.get(member_ids[0], ())]
        return [row[s] for s in {s for mid in member_ids for s in self.of.get(mid, ())}]


def _member_segments(member: Member) -> tuple[Segment, ...]:
    own = (EVERYONE, Segment("site", member.site))
    return (*own, Segment("function", member.function)) if member.function else own


def _participation(facts: Sequence[Fact], published: Mapping[str, Fact]) -> dict[str, set[date]]:
    """Member -> days they took part: accepted, met, attended a session, gave feedback."""
    days: dict[str, set[date]] = defaultdict(set)
    for fact in facts:
        if fact.kind in (ACCEPTED, FEEDBACK):
            who: Iterable[str] = fact.members
        elif fact.kind == SESSION:
            who = attendees(fact, published)
        elif fact.kind == MET:
            match = published.get(fact.match_id)
            who = match.members if match is not None else fact.members
        else:
            continue
        for mid in who:
            days[mid].add(fact.on)
    return days


def _count_active(
    tallies: _Tallies, days: Mapping[str, set[date]], span: Sequence[tuple[str, date, date]]
) -> None:
    """A member is active in each month whose last 90 days hold one of their days."""
    lasts = [last for _, _, last in span]
    window = timedelta(days=ACTIVE_DAYS - 1)
    for mid, seen in days.items():
        segments = tallies.of.get(mid)
        if not segments:
            continue
        months: set[int] = set()
        for d in seen:  # the months whose last day is in [d, d + 89 days]
            k = bisect_left(lasts, d)
            while k < len(lasts) and lasts[k] - window <= d:
                months.add(k)
                k += 1
        for k in months:
            row = tallies.by[k]
            for s in segments:
                row[s].active += 1


def _count_newcomers(
    tallies: _Tallies, people: Mapping[str, Member], facts: Sequence[Fact]
) -> None:
    declined = {f.match_id for f in facts if f.kind == DECLINED}
    first_mentor: dict[str, date] = {}
    for f in facts:
        if f.kind == PUBLISHED and f.match_kind == MENTORING and len(f.members) == 2:
            mentee = f.members[1]
            if f.match_id not in declined and f.on < first_mentor.get(mentee, date.max):
                first_mentor[mentee] = f.on
    limit = timedelta(days=MENTOR_WITHIN_DAYS)
    for mid, member in people.items():
        if member.arrival is None:
            continue
        mentored = first_mentor.get(mid, date.max) <= member.arrival + limit
        for tally in tallies.targets(member.arrival, (mid,)):
            tally.newcomers += 1
            tally.newcomers_mentored += mentored


def _count_quality(tallies: _Tallies, match: Fact, score: float) -> None:
    """Each member of a match counts its score once for each of their segments."""
    for mid in match.members:
        for tally in tallies.targets(match.on, (mid,)):
            tally.quality_sum += score
            tally.quality_count += 1


def _count_facts(tallies: _Tallies, facts: Sequence[Fact], published: Mapping[str, Fact]) -> None:
    met_on: dict[str, date] = {}
    for f in facts:
        if f.kind == MET and f.on < met_on.get(f.match_id, date.max):
            met_on[f.match_id] = f.on
    for match_id, day in met_on.items():
        match = published.get(match_id)
        for tally in tallies.targets(day, match.members if match else ()):
            tally.pairs_met += 1
    for f in facts:
        if f.kind == PUBLISHED and f.match_kind == MENTORING and f.score is not None:
            _count_quality(tallies, f, f.score)
        who = attendees(f, published) if f.kind == SESSION else f.members
        for tally in tallies.targets(f.on, who):
            if f.kind == ACCEPTED:
                tally.accepted += 1
            elif f.kind == DECLINED:
                tally.declined += 1
            elif f.kind == UNANSWERED:
                tally.unanswered += 1
            elif f.kind == SESSION:
                tally.sessions += 1
            elif f.kind == FEEDBACK and f.score is not None:
                tally.satisfaction_sum += f.score
                tally.satisfaction_count += 1


def _ratio(num: float, den: int) -> float | None:
    return num / den if den else None


def _row(key: str, segment: Segment, t: _Tally, size: int, overall: float | None) -> MonthFigures:
    answers = t.accepted + t.declined + t.unanswered
    quality = _ratio(t.quality_sum, t.quality_count)
    return MonthFigures(
        month=key,
        segment=segment,
        members=size,
        active=t.active,
        accepted=t.accepted,
        declined=t.declined,
        unanswered=t.unanswered,
        acceptance_rate=_ratio(t.accepted, answers),
        pairs_met=t.pairs_met,
        sessions=t.sessions,
        satisfaction_mean=_ratio(t.satisfaction_sum, t.satisfaction_count),
        satisfaction_count=t.satisfaction_count,
        newcomers=t.newcomers,
        newcomers_mentored=t.newcomers_mentored,
        mean_quality=quality,
        quality_gap=None if quality is None or overall is None else quality - overall,
    )


def monthly_figures(
    facts: Sequence[Fact], members: Sequence[Member], start: date, end: date
) -> tuple[MonthFigures, ...]:
    """One row per month of ``[start, end]`` and segment (everyone, sites, functions).

    Facts about members not in ``members`` (erased, unknown) count nowhere. Match quality
    is the mean score *people* got in mentoring pairs: each member counts its score once. A pair
    that met counts once, in the month of its first "met" answer; a session counts once per
    segment of its attendees. Complexity: O(F + M * months) for F facts and M members.

    >>> from services.matcher.algorithms.health.model import Fact, Member
    >>> people = [Member("a", "Lyon"), Member("b", "Paris")]
    >>> facts = [Fact("published", date(2026, 1, 5), "m1", ("a", "b"), "mentoring", 0.8),
    ...          Fact("accepted", date(2026, 1, 6), "m1", ("a",)),
    ...          Fact("declined", date(2026, 1, 7), "m1", ("b",))]
    >>> row = monthly_figures(facts, people, date(2026, 1, 1), date(2026, 1, 31))[0]
    >>> row.segment.dimension, row.active, row.acceptance_rate, row.mean_quality
    ('all', 1, 0.5, 0.8)
    """
    return _monthly(canonical(facts), members, start, end)


def _monthly(
    facts: Sequence[Fact], members: Sequence[Member], start: date, end: date
) -> tuple[MonthFigures, ...]:
    """:func:`monthly_figures` over facts already in :func:`canonical` order."""
    people = {m.id: m for m in members}
    span = month_span(start, end)
    tallies = _Tallies(people, span)
    published = {f.match_id: f for f in facts if f.kind == PUBLISHED}
    _count_active(tallies, _participation(facts, published), span)
    _count_newcomers(tallies, people, facts)
    _count_facts(tallies, facts, published)
    sizes = [0] * len(tallies.segments)
    for segs in tallies.of.values():
        for s in segs:
            sizes[s] += 1
    rows: list[MonthFigures] = []
    for k, segment in enumerate(tallies.segments):
        for m, (key, _, _) in enumerate(span):
            everyone = tallies.by[m][0]
            overall = _ratio(everyone.quality_sum, everyone.quality_count)
            rows.append(_row(key, segment, tallies.by[m][k], sizes[k], overall))
    return tuple(rows)
