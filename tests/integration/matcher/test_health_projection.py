"""The health projection over a real nats-server: fed by published matches and the life
of matches, idempotent by event id, and equal to the report recomputed from the events."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import nats
import pytest

from deploy.local.programme import SimMember, simulate
from services.matcher.adapters.unit_of_work import UnitOfWork
from services.matcher.api.schemas_health import FRESHNESS, HealthPublic, NetworkPublic
from services.matcher.main import create_app as matcher_app
from services.matcher.service_layer.health import fact_of, recompute, select
from services.matcher.service_layer.health_cache import cache_of
from services.matcher.service_layer.health_views import Query, period
from shared import subjects
from shared.events import Event, MatchingProfile, MemberErased, MemberRegistered
from tests.health_support import figures
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats


@pytest.fixture
def nats_server(own_nats_server: Any) -> Any:
    """A broker per test: the figures must come from this test's events alone (on the
    session broker the matcher's durable consumer may still hold an earlier test's
    members, and the dashboard then never equals the recomputed figures)."""
    return own_nats_server


END = datetime(2026, 11, 27, 18, tzinfo=UTC)
START = date(2026, 6, 1)
SITES = ("Lyon", "Paris", "Lille", "Nantes")


def programme(tag: str, n: int = 60) -> tuple[list[MemberRegistered], list[Event]]:
    rng = random.Random(7)
    people = [
        SimMember(
            f"{tag}-{i}",
            SITES[i % 4],
            i % 3 == 0,
            (END - timedelta(days=rng.randrange(2000))).date(),
        )
        for i in range(n)
    ]
    members = [
        MemberRegistered(
            producer="t", member_id=p.id, version=1,
            profile=MatchingProfile(
                site=p.site, function="AD" if i % 2 else "AE", start_date=p.arrival
            ),
        )
        for i, p in enumerate(people)
    ]  # fmt: skip
    return members, simulate(people, END, seed=3, tag=tag)


async def publish(url: str, events: list[Event]) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    for e in events:
        await js.publish(e.subject, e.model_dump_json().encode())
    await nc.close()


def expected(events: list[Event], site: str | None = None) -> dict[str, Any]:
    report = select(recompute(events, START, END.date()), site, None)
    return HealthPublic.model_validate(report).model_dump(mode="json", exclude=FRESHNESS)


async def settled(client: Any, hr: dict[str, str], want: dict[str, Any], **params: str) -> bool:
    """The figures served equal ``want`` (a kept report may be served while a newer one
    is computed: wait for the one that includes every fact)."""
    query = {"from": START.isoformat(), "to": END.date().isoformat(), **params}
    got = (await client.get("/health", params=query, headers=hr)).json()
    return figures(got) == want


async def test_the_dashboard_figures_equal_those_recomputed_from_the_events(
    make_settings: Any, nats_server: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    members, life = programme(tag)
    settings = make_settings()
    hr = bearer(settings, "hr", "coordinator")
    async with running(matcher_app(settings)) as client:
        # twice: a redelivered or republished event adds nothing
        await publish(nats_server.url, members + life + life[: len(life) // 2])
        want = expected(members + life)
        assert want["months"][0]["accepted"] > 0 and want["fairness"]
        await eventually(lambda: settled(client, hr, want), timeout=120, interval=0.5)
        lyon = expected(members + life, site="Lyon")
        assert await settled(client, hr, lyon, site="Lyon")
        assert {r["segment"]["value"] for r in lyon["months"]} == {"", "Lyon", "AD", "AE"}
        gone = MemberErased(producer="t", member_id=members[0].member_id, version=2)
        await publish(nats_server.url, [gone])
        after = expected([*members, *life, gone])
        assert after != want
        await eventually(lambda: settled(client, hr, after), timeout=30)


async def test_the_network_and_the_csv_tell_the_same_story_as_the_events(
    make_settings: Any, nats_server: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    members, life = programme(tag, n=40)
    settings = make_settings()
    hr = bearer(settings, "hr", "coordinator")
    async with running(matcher_app(settings)) as client:
        await publish(nats_server.url, members + life)
        want = expected(members + life)
        await eventually(lambda: settled(client, hr, want), timeout=120, interval=0.5)
        network = await client.get("/health/network", params={"to": "2026-11-27"}, headers=hr)
        recomputed = recompute(members + life, START, END.date()).network
        want_network = NetworkPublic.of(recomputed).model_dump(mode="json", exclude=FRESHNESS)
        assert figures(network.json()) == want_network
        assert recomputed.edges > 0 and 0 < recomputed.largest_component_share <= 1
        params = {"from": START.isoformat(), "to": "2026-11-27"}
        sheet = await client.get("/health.csv", params=params, headers=hr)
        rows = list(csv.DictReader(io.StringIO(sheet.text)))
        everyone = [r for r in rows if r["dimension"] == "all"]
        assert [int(r["accepted"]) for r in everyone] == [
            m["accepted"] for m in want["months"] if m["segment"]["dimension"] == "all"
        ]


def facts_recorded(app: Any, events: list[Event]) -> bool:
    """The matcher's projection holds (at least) the facts of ``events``."""
    want = {e.event_id for e in events if (f := fact_of(e)) is not None and f.on <= END.date()}
    with UnitOfWork(app.state.engine).begin() as store:
        return bool(store.health.fingerprint(END.date())[0] >= len(want))


def programme_and_matcher(make_settings: Any, debounce_s: float) -> tuple[Any, ...]:
    """Forty members' events, their programme's, a matcher whose refresher waits
    ``debounce_s`` for quiet, and a coordinator's headers."""
    members, life = programme(uuid.uuid4().hex[:6], n=40)
    app = matcher_app(make_settings(health_refresh_debounce_s=debounce_s))
    return members, life, app, bearer(app.state.settings, "hr", "coordinator")


async def test_after_new_facts_the_dashboard_gets_the_kept_report_at_once_then_the_newer(
    make_settings: Any, nats_server: Any
) -> None:
    # the background waits a minute for quiet: this test runs its step itself, when it chooses
    members, life, app, hr = programme_and_matcher(make_settings, 60)
    params = {"from": START.isoformat(), "to": END.date().isoformat()}
    async with running(app) as client:
        await publish(nats_server.url, members)
        count = lambda: client.get("/members/count", headers=hr)  # noqa: E731
        await eventually(lambda: _at_least(count(), len(members)), timeout=60)
        first = (await client.get("/health", params=params, headers=hr)).json()
        assert first["refreshing"] is False and figures(first) == expected(members)
        await publish(nats_server.url, life)
        await eventually(lambda: facts_recorded(app, life), timeout=60)
        kept = (await client.get("/health", params=params, headers=hr)).json()
        assert kept["refreshing"] is True and kept["as_of"] == first["as_of"]
        assert {**kept, "refreshing": False} == first  # the last complete report, at once
        assert await asyncio.to_thread(app.state.health.refresh) >= 1
        newer = (await client.get("/health", params=params, headers=hr)).json()
        assert newer["refreshing"] is False and newer["as_of"] > first["as_of"]
        assert figures(newer) == expected(members + life)


async def test_the_dashboard_s_default_report_is_computed_in_the_background_after_new_facts(
    make_settings: Any, nats_server: Any
) -> None:
    members, life, app, hr = programme_and_matcher(make_settings, 0.2)
    start, end = period(None, None)
    standard = Query(end, start)
    async with running(app) as client:
        await publish(nats_server.url, members + life)
        await eventually(lambda: facts_recorded(app, life), timeout=60)

        def computed_since() -> bool:  # nobody asked: the background computed it
            found = cache_of(app.state.engine).kept(standard)
            with UnitOfWork(app.state.engine).begin() as store:
                now = store.health.fingerprint(end)
            return found is not None and found.fingerprint == now

        await eventually(computed_since, timeout=60)
        body = (await client.get("/health", headers=hr)).json()
        assert body["refreshing"] is False
        want = select(recompute(members + life, start, end), None, None)
        assert figures(body) == HealthPublic.model_validate(want).model_dump(
            mode="json", exclude=FRESHNESS
        )


async def _at_least(answer: Any, n: int) -> bool:
    return bool((await answer).json()["members"] >= n)


async def test_a_malformed_life_event_is_dead_lettered_and_the_rest_still_counts(
    make_settings: Any, nats_server: Any
) -> None:
    tag = uuid.uuid4().hex[:6]
    members, life = programme(tag, n=12)
    settings = make_settings()
    hr = bearer(settings, "hr", "coordinator")
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    async with running(matcher_app(settings)) as client:  # it makes the streams
        dead = await js.subscribe(subjects.dead_letter_subject("matcher"), ordered_consumer=True)
        bad = {"type": "match.accepted", "match_id": f"{tag}-x", "producer": "t"}
        await js.publish(subjects.MATCH_ACCEPTED, json.dumps(bad).encode())
        await publish(nats_server.url, members + life)
        want = expected(members + life)
        await eventually(lambda: settled(client, hr, want), timeout=120, interval=0.5)
        seen = []

        async def parked() -> bool:
            try:
                msg = await dead.next_msg(timeout=0.5)
            except TimeoutError:
                return False
            seen.append(msg.data)
            return any(f"{tag}-x".encode() in d for d in seen)

        await eventually(parked, timeout=30)
    await nc.close()


async def test_only_coordinators_read_the_health_and_a_reversed_period_is_refused(
    make_settings: Any, nats_server: Any
) -> None:
    settings = make_settings()
    async with running(matcher_app(settings)) as client:
        member = bearer(settings, "m1", "member")
        assert (await client.get("/health", headers=member)).status_code == 403
        hr = bearer(settings, "hr", "coordinator")
        bad = await client.get(
            "/health", params={"from": "2026-05-01", "to": "2026-01-01"}, headers=hr
        )
        assert bad.status_code == 422
        assert "2026-05-01" in bad.json()["detail"]
        english = {**hr, "Accept-Language": "en"}
        assert (
            "Invalid period"
            in (
                await client.get(
                    "/health.csv",
                    params={"from": "2026-05-01", "to": "2026-01-01"},
                    headers=english,
                )
            ).json()["detail"]
        )
