"""The health report is kept while the projection is unchanged, and computed again as
soon as a fact, a profile or an erasure arrives (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.main import MIGRATIONS
from services.matcher.service_layer.health import record_events
from services.matcher.service_layer.health_cache import cache_of
from services.matcher.service_layer.health_views import (
    health_report,
    health_view,
    network_report,
    network_view,
    period,
    refresh,
)
from services.matcher.service_layer.projection import apply_member_events
from shared.db import make_engine
from shared.events import (
    Explanation,
    MatchingProfile,
    MemberErased,
    MemberProfileUpdated,
    MemberRegistered,
    MentoringPairMatched,
)
from shared.life_events import MatchAccepted
from shared.migrations import upgrade

MARCH = (date(2026, 3, 1), date(2026, 3, 31))


@pytest.fixture
def uow(db_url: str) -> Iterator[UnitOfWork]:
    eng = make_engine(db_url)
    upgrade(eng, MIGRATIONS)
    found = UnitOfWork(eng)
    apply_member_events(found, [
        MemberRegistered(producer="t", member_id=m, version=1, profile=MatchingProfile(site=s))
        for m, s in (("a", "Lyon"), ("b", "Paris"), ("c", "Paris"))
    ])  # fmt: skip
    record_events(found, [
        MentoringPairMatched(producer="t", match_id="m1", round_id="r1", mentor_id="a",
                             mentee_id="b", explanation=Explanation(score=0.7),
                             occurred_at=datetime(2026, 3, 1, 10, tzinfo=UTC)),
    ])  # fmt: skip
    yield found
    eng.dispose()


def accepted(member: str) -> MatchAccepted:
    day = datetime(2026, 3, 2, tzinfo=UTC)
    return MatchAccepted(producer="t", match_id="m1", round_id="r1", kind="mentoring",
                         member_id=member, occurred_at=day)  # fmt: skip


def test_the_same_view_twice_computes_the_report_once(uow: UnitOfWork) -> None:
    cache = cache_of(uow.engine)
    first = health_report(uow, *MARCH)
    assert health_report(uow, *MARCH) is first and cache.computed == 1
    other_period = health_report(uow, date(2026, 2, 1), MARCH[1])
    assert other_period is not first and cache.computed == 2  # the query is in the key
    network_report(uow, MARCH[1])
    network_report(uow, MARCH[1])
    assert cache.computed == 3


def test_a_new_fact_is_in_the_next_view(uow: UnitOfWork) -> None:
    before = health_report(uow, *MARCH)
    assert before.months[0].accepted == 0
    record_events(uow, [accepted("a")])
    assert health_report(uow, *MARCH).months[0].accepted == 1
    record_events(uow, [accepted("a")])  # a redelivery is no new fact
    assert cache_of(uow.engine).computed == 2


def test_a_profile_change_or_an_erasure_is_in_the_next_view(uow: UnitOfWork) -> None:
    def sites() -> set[str]:
        report = health_report(uow, *MARCH)
        return {r.segment.value for r in report.months if r.segment.dimension == "site"}

    assert sites() == {"Lyon", "Paris"}
    moved = MemberProfileUpdated(producer="t", member_id="a", version=2,
                                 profile=MatchingProfile(site="Nantes"))  # fmt: skip
    apply_member_events(uow, [moved])
    assert sites() == {"Nantes", "Paris"}
    apply_member_events(uow, [MemberErased(producer="t", member_id="a", version=3)])
    assert sites() == {"Paris"}
    assert cache_of(uow.engine).computed == 3


def test_a_view_after_new_facts_gets_the_kept_report_at_once_and_the_query_is_wanted(
    uow: UnitOfWork,
) -> None:
    cache = cache_of(uow.engine)
    woken: list[int] = []
    stop = cache.listen(lambda changed: woken.append(1))
    first = health_view(uow, *MARCH)
    assert not first.refreshing and first.value.months[0].accepted == 0
    record_events(uow, [accepted("a")])
    assert woken  # new facts wake the background
    served = health_view(uow, *MARCH)
    assert served.refreshing and served.value is first.value and served.as_of == first.as_of
    assert cache.computed == 1
    assert health_view(uow, *MARCH).refreshing  # still the kept one until it is computed
    assert refresh(uow, MARCH[1]) == 3  # the wanted query and the two standard reports
    newer = health_view(uow, *MARCH)
    assert not newer.refreshing and newer.value.months[0].accepted == 1
    assert newer.as_of >= first.as_of
    assert refresh(uow, MARCH[1]) == 0  # nothing new: nothing computed
    stop()


def test_a_query_never_computed_and_the_exact_report_do_not_serve_an_older_one(
    uow: UnitOfWork,
) -> None:
    health_view(uow, *MARCH)
    record_events(uow, [accepted("a")])
    other = health_view(uow, date(2026, 2, 1), MARCH[1])  # never asked: computed at once
    march = [r for r in other.value.months if r.segment.dimension == "all"][-1]
    assert not other.refreshing and march.accepted == 1
    assert health_report(uow, *MARCH, network=False).months[0].accepted == 1  # the CSV's


def test_the_background_computes_the_dashboard_s_default_reports_before_anyone_asks(
    uow: UnitOfWork,
) -> None:
    start, end = period(None, MARCH[1])
    assert refresh(uow, MARCH[1]) == 2
    assert cache_of(uow.engine).computed == 2
    view, network = health_view(uow, start, end), network_view(uow, end)
    assert not view.refreshing and not network.refreshing and cache_of(uow.engine).computed == 2
    apply_member_events(uow, [MemberErased(producer="t", member_id="c", version=2)])
    assert network_view(uow, end).refreshing  # a member change makes them due too
    assert refresh(uow, MARCH[1]) == 2 and not health_view(uow, start, end).refreshing
