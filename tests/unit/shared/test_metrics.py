"""The metric helpers: HTTP latency by route template, who may scrape, scrape-time probes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import SecretStr

from shared.metrics import UNMATCHED, Metrics
from shared.problems import install_problem_handlers
from shared.settings import Settings
from shared.web import base_app, include_first
from tests.support import parse_metrics, sample

DURATION_COUNT = "entraide_http_request_duration_seconds_count"


def tiny_app(settings: Settings | None = None, refresh_s: float = 0.0) -> FastAPI:
    router = APIRouter()

    @router.get("/members/{member_id}")
    async def member(member_id: str) -> dict[str, str]:
        return {"id": member_id}

    @router.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    app = base_app("t", "t", None, settings or Settings(env="test"), Metrics("t", refresh_s))
    app.include_router(router)
    install_problem_handlers(app)
    return app


@asynccontextmanager
async def client_of(app: FastAPI, host: str = "127.0.0.1") -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=(host, 12345), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_requests_are_counted_by_route_template_never_by_raw_path() -> None:
    async with client_of(tiny_app()) as client:
        for member_id in ("m-secret-1", "m-secret-2", "m-secret-3"):
            assert (await client.get(f"/members/{member_id}")).status_code == 200
        await client.get("/no/such/page")
        text = (await client.get("/metrics")).text
    samples = parse_metrics(text)
    route = {"route": "/members/{member_id}", "method": "GET", "status": "200"}
    assert sample(samples, DURATION_COUNT, **route) == 3
    assert sample(samples, DURATION_COUNT, route=UNMATCHED, method="GET", status="404") == 1
    assert "m-secret" not in text and "/no/such/page" not in text


async def test_an_exception_in_a_route_is_counted_as_a_500() -> None:
    async with client_of(tiny_app()) as client:
        assert (await client.get("/boom")).status_code == 500
        samples = parse_metrics((await client.get("/metrics")).text)
    assert sample(samples, DURATION_COUNT, route="/boom", method="GET", status="500") == 1


async def test_without_a_token_only_loopback_clients_may_scrape() -> None:
    app = tiny_app()
    async with client_of(app, "::1") as local:
        assert (await local.get("/metrics")).status_code == 200
    async with client_of(app, "10.1.2.3") as remote:
        refused = await remote.get("/metrics", headers={"Accept-Language": "en"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "metrics_loopback_only"
    assert "127.0.0.1" in refused.json()["detail"]


async def test_with_a_token_any_client_that_sends_it_may_scrape_and_no_other() -> None:
    app = tiny_app(Settings(env="test", metrics_token=SecretStr("s3cret-scrape")))
    async with client_of(app, "10.1.2.3") as remote:
        assert (await remote.get("/metrics")).status_code == 401
        wrong = await remote.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = await remote.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "metrics_token_required"
    assert right.status_code == 200 and DURATION_COUNT in right.text


async def test_a_failing_probe_is_reported_and_the_scrape_still_answers() -> None:
    metrics = Metrics("t", refresh_s=0)
    good = metrics.gauge("t_good", "good")

    async def read_good() -> None:
        good.set(7)

    async def read_bad() -> None:
        raise ConnectionError("broker away")

    metrics.add_probe("good", read_good)
    metrics.add_probe("bad", read_bad)
    samples = parse_metrics((await metrics.exposition()).decode())
    assert sample(samples, "t_good") == 7
    assert sample(samples, "entraide_metrics_probe_up", probe="good") == 1
    assert sample(samples, "entraide_metrics_probe_up", probe="bad") == 0


async def test_a_probe_that_hangs_is_given_up_and_reported() -> None:
    import asyncio

    metrics = Metrics("t", refresh_s=0, probe_timeout_s=0.05)

    async def hang() -> None:
        await asyncio.Event().wait()  # a broker that never answers

    metrics.add_probe("hang", hang)
    samples = parse_metrics((await metrics.exposition()).decode())
    assert sample(samples, "entraide_metrics_probe_up", probe="hang") == 0


async def test_probes_run_at_most_once_per_refresh_interval() -> None:
    metrics = Metrics("t", refresh_s=3600)
    calls: list[int] = []

    async def probe() -> None:
        calls.append(1)

    metrics.add_probe("p", probe)
    for _ in range(3):
        await metrics.exposition()
    assert len(calls) == 1


async def test_counts_drop_the_label_sets_a_reading_no_longer_returns() -> None:
    metrics = Metrics("t", refresh_s=0)
    readings = [{("email", "sent"): 2.0, ("chat", "failed"): 1.0}, {("email", "sent"): 3.0}]
    metrics.add_counts("t_deliveries", "d", ("channel", "status"), lambda: readings.pop(0))
    first = parse_metrics((await metrics.exposition()).decode())
    second = parse_metrics((await metrics.exposition()).decode())
    assert sample(first, "t_deliveries", channel="chat", status="failed") == 1
    assert sample(second, "t_deliveries", channel="email", status="sent") == 3
    assert ("t_deliveries", frozenset({("channel", "chat"), ("status", "failed")})) not in second


def test_asking_twice_for_a_metric_gives_the_same_one() -> None:
    metrics = Metrics("t")
    assert metrics.gauge("t_g", "g") is metrics.gauge("t_g", "g")
    assert metrics.histogram("t_h", "h", (), (1.0,)) is metrics.histogram("t_h", "h", (), (1.0,))


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.9.1", "::1"])
def test_loopback_addresses_may_scrape_without_a_token(host: str) -> None:
    from shared.metrics import may_scrape

    may_scrape(Settings(env="test"), host, None)


def test_a_service_route_that_would_hide_a_shared_path_is_refused() -> None:
    catch_all = APIRouter()

    @catch_all.get("/{page}")
    def page(page: str) -> str:
        return page

    prefixed = APIRouter(prefix="/pages")
    prefixed.add_api_route("/{page}", page)
    app = base_app("t", "t", None, Settings(env="test"), Metrics("t", 1.0))
    include_first(app, [prefixed])  # under a prefix: nothing hidden
    with pytest.raises(ValueError, match="/healthz"):
        include_first(app, [catch_all])
