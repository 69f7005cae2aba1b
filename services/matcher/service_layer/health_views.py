"""The health reports as coordinators see them: kept, served at once, refreshed behind.

The freshness rule (issue 11: the dashboard never waits for a full computation):

* a report whose projection fingerprint is unchanged is served as kept;
* after new facts or member changes, a *view* (:func:`health_view`, :func:`network_view`)
  is served the last complete report of the same query with its ``as_of`` time, marked
  ``refreshing``, and the query is wanted: :func:`refresh`, run by the matcher's background
  loop, computes it again (and always the standard reports: the dashboard's default period
  and network view, so they are ready before anyone asks);
* a query never computed before is computed at once (there is nothing older to show);
* :func:`health_report` and :func:`network_report` always give the report of the current
  projection (the CSV export, tests), computing it if needed.

Each report's figures are exact for its ``as_of`` time: the fingerprint, the facts and the
members are read in one transaction, the fingerprint first (a fact committed meanwhile
makes the next view compute again, never a report labelled newer than its facts).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.algorithms.health import HealthReport, analyse_health, analyse_network
from services.matcher.algorithms.health import model as h
from services.matcher.domain.errors import HealthPeriodInvalid
from services.matcher.service_layer.health_cache import Kept, cache_of

MAX_DAYS = 3 * 366


@dataclasses.dataclass(frozen=True)
class Query:
    """A report asked for: the period's last day, its first (None: the network alone),
    and whether the period's report includes the network."""

    end: date
    start: date | None = None
    network: bool = False


def check_period(start: date, end: date) -> None:
    if start > end or (end - start).days >= MAX_DAYS:
        raise HealthPeriodInvalid(start=start.isoformat(), end=end.isoformat(), days=MAX_DAYS)


def period(start: date | None, end: date | None, today: date | None = None) -> tuple[date, date]:
    """The period asked for; by default the six months up to today (UTC).

    >>> period(None, date(2026, 11, 28))
    (datetime.date(2026, 6, 1), datetime.date(2026, 11, 28))
    """
    end = end or today or datetime.now(UTC).date()
    if start is None:
        months = end.year * 12 + end.month - 1 - 5
        start = date(months // 12, months % 12 + 1, 1)
    return start, end


def standard_queries(today: date) -> list[Query]:
    """What the dashboard asks by default: the six months' report and the network."""
    start, end = period(None, today)
    return [Query(end, start), Query(end)]


def _compute(uow: UnitOfWork, *queries: Query) -> Kept[Any]:
    """Compute ``queries`` (all up to the same last day) from one read of the projection;
    each is kept; the first is returned."""
    end = queries[0].end
    with uow.begin() as store:
        fingerprint = store.health.fingerprint(end)
        as_of = datetime.now(UTC)
        facts = store.health.facts(end)
        members = store.health.members()
    found: list[Kept[Any]] = []
    for q in queries:
        if q.start is None:
            value: Any = analyse_network(facts, members, q.end)
        else:
            value = analyse_health(facts, members, q.start, q.end, q.network)
        found.append(Kept(value, fingerprint, as_of))
        cache_of(uow.engine).put(q, found[-1])
    return found[0]


def _view(uow: UnitOfWork, query: Query, stale_ok: bool) -> Kept[Any]:
    if query.start is not None:
        check_period(query.start, query.end)
    cache = cache_of(uow.engine)
    with uow.begin() as store:
        fingerprint = store.health.fingerprint(query.end)
    found = cache.kept(query)
    if found is not None and found.fingerprint == fingerprint:
        return found
    if found is not None and stale_ok:
        cache.want(query)
        return dataclasses.replace(found, refreshing=True)
    return _compute(uow, query)


def health_view(uow: UnitOfWork, start: date, end: date, network: bool = False) -> Kept[Any]:
    """The period's report, kept or being refreshed (see the module's freshness rule)."""
    return _view(uow, Query(end, start, network), stale_ok=True)


def network_view(uow: UnitOfWork, end: date) -> Kept[Any]:
    """Who met whom over the 12 months up to ``end``, kept or being refreshed."""
    return _view(uow, Query(end), stale_ok=True)


def health_report(uow: UnitOfWork, start: date, end: date, network: bool = True) -> HealthReport:
    """The report over the projection as it is now (facts up to ``end``, members as
    projected), computed again only when the projection changed since it was kept."""
    return _view(uow, Query(end, start, network), stale_ok=False).value  # type: ignore[no-any-return]


def network_report(uow: UnitOfWork, end: date) -> h.NetworkFigures:
    """The network part alone over the 12 months up to ``end``, as the projection is now."""
    return _view(uow, Query(end), stale_ok=False).value  # type: ignore[no-any-return]


def refresh(uow: UnitOfWork, today: date) -> int:
    """Compute again the standard reports and those served while a newer one was due,
    when the projection changed since they were kept; how many were computed."""
    cache = cache_of(uow.engine)
    wanted = [q for q in cache.take_wanted() if isinstance(q, Query)]
    queries = list(dict.fromkeys([*standard_queries(today), *wanted]))
    with uow.begin() as store:
        prints = {end: store.health.fingerprint(end) for end in {q.end for q in queries}}
    due: dict[date, list[Query]] = {}
    for query in queries:
        found = cache.kept(query)
        if found is None or found.fingerprint != prints[query.end]:
            due.setdefault(query.end, []).append(query)
    for same_end in due.values():  # one read of the projection for the reports of a day
        _compute(uow, *same_end)
    return sum(len(q) for q in due.values())
