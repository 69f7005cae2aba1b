"""The correlation id of an HTTP request, carried across the services over a real
nats-server: through the outbox and the NATS headers to the consumers' log lines, the
events they emit, and the e-mail the SMTP sink receives."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import nats
import pytest

from deploy.local.smtp_sink import SmtpSink
from services.matcher.main import create_app as matcher_app
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from services.profiles.main import create_app as profiles_app
from shared import correlation, subjects
from shared.logging import CorrelationFilter
from shared.settings import Settings
from tests.integration.notifier.receivers import serving, wait_until
from tests.matcher_support import register, wait_projected, wait_state
from tests.support import bearer, eventually, json_object, operator_url, running

pytestmark = pytest.mark.nats

FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


async def stream_headers(
    settings: Settings, subject: str, wanted: Callable[[dict[str, Any]], bool]
) -> list[dict[str, str]]:
    """The headers of the messages on ``subject`` whose payload is ``wanted``, read as
    the operator (the broker is closed)."""
    nc = await nats.connect(operator_url(settings))
    try:
        sub = await nc.jetstream().subscribe(subject, ordered_consumer=True)
        found: list[dict[str, str]] = []
        while True:
            try:
                msg = await sub.next_msg(timeout=1.0)
            except nats.errors.TimeoutError:
                return found
            payload = json_object(msg.data)  # other tests publish poison here
            if payload is not None and wanted(payload):
                found.append(dict(msg.headers or {}))
    finally:
        await nc.close()


def with_ids(caplog: pytest.LogCaptureFixture) -> None:
    """Captured records get the correlation id as the service's log handler gives it."""
    caplog.handler.addFilter(CorrelationFilter())
    caplog.set_level(logging.INFO)


async def test_a_profile_request_id_reaches_the_matchers_log_and_the_published_event(
    make_settings, caplog
) -> None:
    with_ids(caplog)
    settings = make_settings()
    hr = bearer(settings, "hr-1", "coordinator")
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    member = {"display_name": "Léa Martin", "email": f"{request_id}@example.com",
              "site": "Lyon", "opt_ins": {"mentee": True}}  # fmt: skip
    async with (
        running(profiles_app(settings)) as profiles,
        running(matcher_app(settings)) as matcher,
    ):
        # The session's broker holds other tests' members: the matcher replays them first,
        # and a batch of events with different ids binds none. A first member, projected,
        # shows that replay is over, so the next batch is this request's event alone.
        first = {**member, "email": f"first-{request_id}@example.com"}
        warm = await profiles.post("/members", json=first, headers=hr)
        assert warm.status_code == 201, warm.text
        await wait_projected(matcher, hr, 1, [warm.json()["id"]])
        created = await profiles.post("/members", json=member,
                                      headers={**hr, "X-Request-ID": request_id})  # fmt: skip
        assert created.status_code == 201, created.text
        assert created.headers["x-request-id"] == request_id
        member_id = created.json()["id"]
        await wait_projected(matcher, hr, 1, [member_id])

        async def logged() -> bool:
            return any(
                r.name == "entraide.matcher.handlers"
                and getattr(r, "correlation_id", None) == request_id
                for r in caplog.records
            )

        await eventually(logged)
    published = await stream_headers(
        settings, subjects.MEMBER_REGISTERED, lambda p: p.get("member_id") == member_id
    )
    assert [h.get(correlation.NATS_HEADER) for h in published] == [request_id]


async def test_a_request_without_an_id_gets_one_and_a_malformed_one_is_replaced(
    make_settings,
) -> None:
    settings = make_settings()
    async with running(profiles_app(settings)) as profiles:
        fresh = await profiles.get("/healthz")
        forged = await profiles.get("/healthz", headers={"X-Request-ID": "a\nfake: line"})
        other = await profiles.get("/healthz", headers={"X-Correlation-ID": "corr-7"})
    assert correlation.accepted(fresh.headers["x-request-id"])
    assert forged.headers["x-request-id"] != "a\nfake: line"
    assert correlation.accepted(forged.headers["x-request-id"])
    assert other.headers["x-request-id"] == "corr-7"


@pytest.fixture
def sink() -> Any:
    s = SmtpSink().start()
    yield s
    s.stop()


async def test_a_round_is_computed_under_its_requests_id_and_announced_under_its_publications(
    make_settings, sink
) -> None:
    settings = make_settings(smtp_url=sink.url, retry_base_s=0.2)
    hr = bearer(settings, "hr", "coordinator")
    asked_id, request_id = f"ask-{uuid.uuid4().hex[:12]}", f"pub-{uuid.uuid4().hex[:12]}"
    async with (
        serving(profiles_app(settings), settings.profiles_port) as base,
        httpx.AsyncClient(base_url=base) as profiles,
        running(matcher_app(settings)) as matcher,
        running(notifier_app(settings, FAST)) as notifier,
    ):
        people = [(await register(profiles, hr, "Anne", "Lyon", mentor=True, mentor_capacity=1))[0],
                  (await register(profiles, hr, "Chloe", "Paris", mentee=True))[0]]  # fmt: skip
        await wait_projected(matcher, hr, len(people), people)
        body = {"client_request_id": uuid.uuid4().hex, "kind": "mentoring"}
        created = await matcher.post("/rounds", json=body, headers={**hr, "X-Request-ID": asked_id})
        assert created.headers["x-request-id"] == asked_id
        round_id = created.json()["id"]
        await wait_state(matcher, round_id, hr, "proposed")
        traced = {**hr, "X-Request-ID": request_id}
        assert (await matcher.post(f"/rounds/{round_id}/publish", headers=traced)).is_success
        await wait_until(lambda: _all_sent(notifier, hr, round_id), 60)
    mails = [m for m in sink.received if m.message["X-Entraide-Correlation"] == request_id]
    assert len(mails) == 2 and len(sink.received) == 2
    proposed = await stream_headers(
        settings, subjects.ROUND_PROPOSED, lambda p: p["round_id"] == round_id
    )
    assert [h.get(correlation.NATS_HEADER) for h in proposed] == [asked_id]  # by the worker
    announced = await stream_headers(
        settings, subjects.MATCHES_ALL, lambda p: p.get("round_id") == round_id
    )
    told: list[str] = []  # the deliveries the round's notification.delivered events carry

    def of_round(payload: dict[str, Any]) -> bool:
        if payload.get("round_id") != round_id:
            return False
        told.extend(d["member_id"] for d in payload["deliveries"])
        return True

    delivered = await stream_headers(settings, subjects.NOTIFICATION_DELIVERED, of_round)
    assert [h.get(correlation.NATS_HEADER) for h in announced] == [request_id]
    assert delivered and {h.get(correlation.NATS_HEADER) for h in delivered} == {request_id}
    assert len(told) >= 2  # the two e-mails (and the in-app entries), batched


async def _all_sent(notifier: httpx.AsyncClient, hr: dict, round_id: str) -> bool:
    r = await notifier.get(f"/rounds/{round_id}/deliveries?limit=50", headers=hr)
    items = r.json()["items"] if r.status_code == 200 else []
    return len(items) > 0 and all(i["status"] in ("sent", "skipped") for i in items)
