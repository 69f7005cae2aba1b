"""OpenTelemetry tracing, off unless ``ENTRAIDE_OTEL_ENABLED=true``.

When it is off nothing of OpenTelemetry is imported (the ``otel`` extra need not be
installed). When it is on, the composition root (:func:`shared.web.create_service_app`)
calls :func:`setup`, and then:

* each HTTP request gets a server span (opentelemetry-instrumentation-fastapi), which
  records the correlation id answered in ``X-Request-ID``;
* each message a consumer handles gets a consumer span, a child of the trace its
  ``traceparent`` header names (FastStream's ``NatsTelemetryMiddleware``), and
  messages published through FastStream a producer span;
* the outbox relays publish each event in a producer span of their own and put its
  ``traceparent`` in the message headers (:func:`publish_span`), so the consumers'
  spans join that trace. An event leaves its outbox after the request that wrote it
  has answered: the request's trace and the message's are tied by the correlation
  id, which both record (``http.response.header.x_request_id`` and
  ``entraide.correlation_id``).

Spans are exported over OTLP/HTTP to ``ENTRAIDE_OTEL_EXPORTER_ENDPOINT`` (empty: the
standard ``OTEL_EXPORTER_OTLP_*`` variables, else ``http://localhost:4318``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from shared.settings import Settings

#: The process's tracer provider once :func:`setup` ran with tracing on (else ``None``).
_provider: Any = None


def setup(settings: Settings, service: str) -> Any:
    """The tracer provider (built once per process) when tracing is on, else ``None``."""
    global _provider
    if not settings.otel_enabled:
        return None
    if _provider is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor

        provider = TracerProvider(resource=Resource.create({"service.name": f"entraide-{service}"}))
        endpoint = settings.otel_exporter_endpoint or None
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        _provider = provider
    return _provider


def use_provider(provider: Any) -> None:
    """Send the spans to ``provider`` (tests: an SDK provider with an in-memory exporter);
    ``None`` forgets it."""
    global _provider
    _provider = provider


def broker_middlewares(settings: Settings, service: str) -> list[Any]:
    """FastStream's tracing middleware for a broker, or nothing when tracing is off."""
    provider = setup(settings, service)
    if provider is None:
        return []
    from faststream.nats.opentelemetry import NatsTelemetryMiddleware

    return [NatsTelemetryMiddleware(tracer_provider=provider)]


def instrument_app(app: Any, settings: Settings, service: str) -> None:
    """Trace ``app``'s requests (not the health probes) when tracing is on."""
    provider = setup(settings, service)
    if provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app,
        tracer_provider=provider,
        excluded_urls="healthz,readyz",
        http_capture_headers_server_response=["x-request-id"],
    )


@contextlib.contextmanager
def publish_span(
    subject: str, headers: dict[str, str], correlation_id: str | None
) -> Iterator[None]:
    """A producer span around one raw JetStream publish, its context injected into
    ``headers``; nothing at all when tracing is off."""
    if _provider is None:
        yield
        return
    from opentelemetry import propagate, trace

    tracer = _provider.get_tracer("entraide.outbox")
    with tracer.start_as_current_span(f"{subject} publish", kind=trace.SpanKind.PRODUCER) as span:
        span.set_attribute("messaging.system", "nats")
        span.set_attribute("messaging.destination.name", subject)
        if correlation_id:
            span.set_attribute("entraide.correlation_id", correlation_id)
        propagate.inject(headers)
        yield


def annotate(correlation_id: str | None) -> None:
    """Record the correlation id on the current span (a consumer's), if tracing is on."""
    if _provider is None or not correlation_id:
        return
    from opentelemetry import trace

    trace.get_current_span().set_attribute("entraide.correlation_id", correlation_id)
