"""The network's health: facts from events, the projection, the report and its recomputation.

The projection keeps one :class:`~services.matcher.algorithms.health.Fact` per event about
a published match (``match.*`` from the matcher's own publications, ``entraide.life.>``
from the life of matches), keyed by event id in the same transaction as the write, so a
redelivery adds nothing. :func:`recompute` reads a list of events and gives the same
report as :func:`health_report` over the projection fed with the same events: both go
through :func:`fact_of` and the one pure :func:`analyse_health`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from services.matcher.adapters.health import member_of
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.algorithms.health import Fact, HealthReport, Member, analyse_health
from services.matcher.algorithms.health import model as h
from services.matcher.service_layer.health_cache import cache_of
from services.matcher.service_layer.health_views import check_period
from shared.events import (
    Event,
    GroupMatched,
    MemberErased,
    MemberEvent,
    MentoringPairMatched,
    RotationMatched,
)
from shared.life_events import (
    GroupSessionRecorded,
    MatchAccepted,
    MatchCheckinAnswered,
    MatchClosed,
    MatchDeclined,
    MatchFeedbackGiven,
    MatchLifeEvent,
    MatchUnanswered,
)

_MEMBER_FACTS = {
    MatchAccepted: h.ACCEPTED,
    MatchDeclined: h.DECLINED,
    MatchUnanswered: h.UNANSWERED,
}


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


def _published(event: Event) -> Fact | None:
    day = day_of(event.occurred_at)
    if isinstance(event, MentoringPairMatched):
        pair = (event.mentor_id, event.mentee_id)
        return Fact(h.PUBLISHED, day, event.match_id, pair, h.MENTORING, event.explanation.score)
    if isinstance(event, GroupMatched):
        score = event.explanation.score
        return Fact(h.PUBLISHED, day, event.match_id, event.members, h.GROUPS, score)
    if isinstance(event, RotationMatched):
        tables = tuple(tuple(sorted({event.member_id, *s.tablemates})) for s in event.seats)
        who = (event.member_id,)
        return Fact(h.PUBLISHED, day, event.match_id, who, h.ROTATIONS, None, tables)
    return None


def fact_of(event: Event) -> Fact | None:
    """The fact an event states, or None (reminders, requests, a check-in without meeting).

    A session is dated by its ``session_date``; every other fact by the day (UTC) of
    ``occurred_at``, the producer's clock.
    """
    if not isinstance(event, MatchLifeEvent):
        return _published(event)
    day, kind = day_of(event.occurred_at), event.kind
    if isinstance(event, MatchAccepted | MatchDeclined | MatchUnanswered):
        return Fact(_MEMBER_FACTS[type(event)], day, event.match_id, (event.member_id,), kind)
    if isinstance(event, MatchCheckinAnswered):
        return Fact(h.MET, day, event.match_id, (event.member_id,), kind) if event.met else None
    if isinstance(event, GroupSessionRecorded):
        return Fact(h.SESSION, event.session_date, event.match_id, event.attendee_ids, kind)
    if isinstance(event, MatchFeedbackGiven):
        who = (event.member_id,)
        return Fact(h.FEEDBACK, day, event.match_id, who, kind, float(event.satisfaction))
    if isinstance(event, MatchClosed):
        return Fact(h.CLOSED, day, event.match_id, (), kind)
    return None


def record_events(uow: UnitOfWork, events: Sequence[Event]) -> int:
    """Add the facts of ``events`` not seen before, in one transaction; how many were new."""
    with uow.begin() as store:
        known = store.health.known([e.event_id for e in events])
        fresh: dict[str, Fact] = {}
        for event in events:
            fact = fact_of(event)
            if fact is not None and event.event_id not in known:
                fresh.setdefault(event.event_id, fact)
        ids = {m for f in fresh.values() for m in (*f.members, *(x for t in f.tables for x in t))}
        erased = set(store.members.erased_versions(ids)) if ids else set()
        facts = [(eid, _forgetting(f, erased) if erased else f) for eid, f in fresh.items()]
        store.health.add(facts)
    if fresh:
        projection_changed(uow)
    return len(fresh)


def projection_changed(uow: UnitOfWork) -> None:
    """New facts or member changes: wake whoever keeps the reports up to date."""
    cache_of(uow.engine).changed()


def _forgetting(fact: Fact, erased: set[str]) -> Fact:
    """The fact without the ids of members already erased (a late event about them)."""

    def blank(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple("" if m in erased else m for m in ids)

    tables = tuple(blank(t) for t in fact.tables)
    return dataclasses.replace(fact, members=blank(fact.members), tables=tables)


def select(report: HealthReport, site: str | None, function: str | None) -> HealthReport:
    """The report's rows for everyone, plus only the site or function asked for."""

    def kept(row: h.MonthFigures) -> bool:
        seg = row.segment
        if seg.dimension == "site":
            return site is None or seg.value == site
        if seg.dimension == "function":
            return function is None or seg.value == function
        return True

    fairness = tuple(f for f in report.fairness if site is None or f.site == site)
    months = tuple(r for r in report.months if kept(r))
    return dataclasses.replace(report, months=months, fairness=fairness)


def members_from_events(events: Iterable[Event]) -> list[Member]:
    """Members as the projection would hold them after these events (versions, erasures)."""
    current: dict[str, tuple[int, Member | None]] = {}
    for e in events:
        if not isinstance(e, MemberEvent):
            continue
        version = current.get(e.member_id, (0, None))[0]
        if e.version <= version:
            continue
        if isinstance(e, MemberErased):
            current[e.member_id] = (e.version, None)
        else:
            profile = e.profile.model_dump(mode="json")  # type: ignore[attr-defined]
            current[e.member_id] = (e.version, member_of(e.member_id, profile))
    return [m for _v, m in current.values() if m is not None]


def recompute(events: Sequence[Event], start: date, end: date) -> HealthReport:
    """The report recomputed from a list of events (members, matches, life of matches).

    Duplicated events (same event id) count once, as in the projection.
    """
    check_period(start, end)
    facts: dict[str, Fact] = {}
    for event in events:
        fact = fact_of(event)
        if fact is not None and fact.on <= end:
            facts.setdefault(event.event_id, fact)
    return analyse_health(list(facts.values()), members_from_events(events), start, end)
