"""OpenTelemetry tracing behind ``ENTRAIDE_OTEL_ENABLED``, over a real nats-server, with
the SDK's in-memory exporter: a request has a server span; an event relayed from the
outbox and the consumer that handles it share one trace. Off, nothing of the SDK, the
instrumentation or FastStream's tracing is imported (tests/unit/shared/test_tracing_off.py)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from services.notifier.main import create_app as notifier_app
from services.profiles.main import create_app as profiles_app
from shared import subjects, tracing
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats

try:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import SpanKind
except ImportError:  # the 'otel' extra is not installed
    TracerProvider = None  # type: ignore[assignment,misc]


@pytest.fixture
def spans() -> Iterator[Any]:
    if TracerProvider is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs the 'otel' extra (with dev): OpenTelemetry's SDK is missing")
        pytest.skip("OpenTelemetry's SDK is not installed: pip install -e '.[otel]'")
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.use_provider(provider)
    yield exporter
    tracing.use_provider(None)
    provider.shutdown()


async def test_a_request_has_a_server_span_and_its_event_is_consumed_in_the_relays_trace(
    make_settings, spans: Any
) -> None:
    settings = make_settings(otel_enabled=True)
    hr = bearer(settings, "hr-1", "coordinator")
    request_id = f"trace-{uuid.uuid4().hex[:12]}"
    member = {"display_name": "Zoé", "email": f"{request_id}@example.com", "site": "Lyon"}
    async with (
        running(profiles_app(settings)) as profiles,
        running(notifier_app(settings)) as _,
    ):
        created = await profiles.post("/members", json=member, headers=hr)
        member_id = created.json()["id"]
        erased = await profiles.delete(
            f"/members/{member_id}", headers={**hr, "X-Request-ID": request_id}
        )
        assert erased.is_success, erased.text

        def consumed() -> Any:
            return next(
                (s for s in spans.get_finished_spans()
                 if s.kind == SpanKind.CONSUMER
                 and s.attributes.get("entraide.correlation_id") == request_id),
                None,
            )  # fmt: skip

        consumer: Any = await eventually(consumed, timeout=30)
    finished = spans.get_finished_spans()
    answered = "http.response.header.x_request_id"
    servers = [s for s in finished if s.kind == SpanKind.SERVER
               and s.attributes.get(answered) == (request_id,)]  # fmt: skip
    assert len(servers) == 1
    producers = [s for s in finished if s.kind == SpanKind.PRODUCER
                 and s.attributes.get("entraide.correlation_id") == request_id]  # fmt: skip
    assert [p.attributes["messaging.destination.name"] for p in producers] == [
        subjects.MEMBER_ERASED
    ]
    assert consumer.context.trace_id == producers[0].context.trace_id
    assert consumer.parent is not None and consumer.parent.span_id == producers[0].context.span_id
