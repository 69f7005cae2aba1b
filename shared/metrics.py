"""Prometheus metrics of a service: one registry per app, HTTP latency, scrape-time probes.

Every service answers ``GET /metrics`` (:func:`metrics_router`) in the Prometheus text
format. What it shows:

* ``entraide_http_request_duration_seconds{route,method,status}``: a histogram per
  *route template* (``/members/{member_id}``, never the raw path: with 50,000 members
  the raw path would make 50,000 series and put member ids in labels), recorded by
  :class:`HttpMetrics`, the one ASGI middleware the app factory installs;
* the broker's consumers and publishers, through FastStream's
  ``NatsPrometheusMiddleware`` (``faststream_*`` series; :func:`shared.broker.make_broker`);
* gauges read at scrape time by *probes* (:meth:`Metrics.add_probe`): consumer lag,
  dead letters, outbox backlog, deliveries and rounds by state. A probe that fails keeps
  the scrape working: ``entraide_metrics_probe_up{probe}`` turns 0 and the error is
  logged. Probes run at most once per ``refresh_s`` however often the endpoint is
  scraped, so several scrapers cost one reading.

No label carries a member id, a name or any value a caller chooses: labels are route
templates, methods, status codes, subjects, durable names, channels, kinds and states.

Each app has its own :class:`~prometheus_client.CollectorRegistry` (not the process-wide
default): tests and the local stack run several apps in one process.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import Forbidden, Unauthorized
from shared.settings import Settings

log = logging.getLogger("entraide.metrics")

#: Seconds; from a cached read (1 ms) to a slow import (10 s).
HTTP_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: A probe slower than this counts as failed: a scrape must answer within Prometheus's
#: timeout (10 s by default) even when the broker or the database hangs.
PROBE_TIMEOUT_S = 4.0
#: The ``route`` label of a request that matched no route (a 404 on an unknown path).
UNMATCHED = "<unmatched>"

Probe = Callable[[], Awaitable[None]]
#: A count read from a database: label values -> count.
Counts = Mapping[tuple[str, ...], float]


class Metrics:
    """The metrics of one app: its registry, the HTTP histogram and the probes."""

    def __init__(
        self, service: str, refresh_s: float = 5.0, probe_timeout_s: float = PROBE_TIMEOUT_S
    ) -> None:
        self.service = service
        self.refresh_s = refresh_s
        self.probe_timeout_s = probe_timeout_s
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU seconds, memory, open files
        self._gauges: dict[str, Gauge] = {}
        self._histograms: dict[str, Histogram] = {}
        self.http = self.histogram(
            "entraide_http_request_duration_seconds",
            "HTTP request duration by route template, method and status.",
            ("route", "method", "status"),
            HTTP_BUCKETS,
        )
        self.probe_up = self.gauge(
            "entraide_metrics_probe_up", "1 if the probe's last reading succeeded.", ("probe",)
        )
        self._probes: dict[str, Probe] = {}
        self._refreshed = float("-inf")
        self._lock = asyncio.Lock()

    def gauge(self, name: str, documentation: str, labels: tuple[str, ...] = ()) -> Gauge:
        """The gauge ``name`` of this registry (made on first use: a service's start-up
        hook may run again and ask for it again)."""
        if name not in self._gauges:
            self._gauges[name] = Gauge(name, documentation, labels, registry=self.registry)
        return self._gauges[name]

    def histogram(
        self, name: str, documentation: str, labels: tuple[str, ...], buckets: tuple[float, ...]
    ) -> Histogram:
        """The histogram ``name`` of this registry (made on first use)."""
        if name not in self._histograms:
            self._histograms[name] = Histogram(
                name, documentation, labels, buckets=buckets, registry=self.registry
            )
        return self._histograms[name]

    def add_probe(self, name: str, probe: Probe) -> None:
        """Run ``probe`` (which sets gauges) before a scrape answers."""
        self._probes[name] = probe

    def add_counts(
        self, name: str, documentation: str, labels: tuple[str, ...], read: Callable[[], Counts]
    ) -> Gauge:
        """A gauge set from ``read()`` (a database count, run in a worker thread) at scrape
        time; label sets that ``read`` no longer returns disappear."""
        gauge = self.gauge(name, documentation, labels)

        async def probe() -> None:
            counts = await asyncio.to_thread(read)
            gauge.clear()  # no await between clear and set: a scrape sees both or neither
            for values, count in counts.items():
                (gauge.labels(*values) if labels else gauge).set(count)

        self.add_probe(name, probe)
        return gauge

    async def refresh(self) -> None:
        """Run every probe (concurrently), unless they ran less than ``refresh_s`` ago."""
        async with self._lock:
            if time.monotonic() - self._refreshed < self.refresh_s:
                return
            names = list(self._probes)
            results = await asyncio.gather(
                *(asyncio.wait_for(self._probes[n](), self.probe_timeout_s) for n in names),
                return_exceptions=True,
            )
            for name, result in zip(names, results, strict=True):
                if isinstance(result, BaseException):
                    log.warning("metrics probe %s failed: %r", name, result)
                self.probe_up.labels(name).set(0 if isinstance(result, BaseException) else 1)
            self._refreshed = time.monotonic()

    async def exposition(self) -> bytes:
        await self.refresh()
        return generate_latest(self.registry)


def watch_outbox(metrics: Metrics, read_pending: Callable[[], int]) -> None:
    """``entraide_outbox_pending``: events committed with a change and not yet
    acknowledged by JetStream (:func:`shared.outbox.pending_count`, or a service's own)."""
    metrics.add_counts(
        "entraide_outbox_pending",
        "Outbox rows not yet published to JetStream (a growing value: the broker is "
        "unreachable or slower than the writes).",
        (),
        lambda: {(): read_pending()},
    )


class HttpMetrics:
    """Pure ASGI middleware: the duration of each HTTP request in ``metrics.http``.

    The route label is the matched route's template, read from the scope once the
    router has handled the request (Starlette stores the route there); under a mount
    (``/static``) it is ``/static/{path}``.
    """

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.histogram = metrics.http
        # children cached by label values: .labels() validates and hashes on every call
        self._children: dict[tuple[str, str, int], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # an exception that escapes every handler becomes a 500
        root = scope.get("root_path", "")
        start = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            self._child(scope, root, status).observe(time.perf_counter() - start)

    def _child(self, scope: Scope, root: str, status: int) -> Histogram:
        route = getattr(scope.get("route"), "path", None)
        if route is None:  # a mount (static files) adds its path to the ASGI root_path
            mount = scope.get("root_path", "")[len(root) :]
            route = f"{mount}/{{path}}" if mount else UNMATCHED
        key = (route, scope["method"], status)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.histogram.labels(route, key[1], str(status))
        return child


def may_scrape(settings: Settings, client_host: str | None, authorization: str | None) -> None:
    """Raise unless this caller may read ``/metrics``.

    With ``ENTRAIDE_METRICS_TOKEN`` set, the caller must send ``Authorization: Bearer
    <token>``; without it, only a client on the loopback interface may scrape.

    >>> may_scrape(Settings(), "127.0.0.1", None)
    >>> may_scrape(Settings(), "10.0.0.7", None)
    Traceback (most recent call last):
    ...
    shared.errors.Forbidden: metrics_loopback_only
    """
    token = settings.metrics_token.get_secret_value()
    if token:
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise Unauthorized("metrics_token_required")
        return
    try:
        loopback = client_host is not None and ipaddress.ip_address(client_host).is_loopback
    except ValueError:  # a test client's made-up host name
        loopback = False
    if not loopback:
        raise Forbidden("metrics_loopback_only")


def metrics_router(metrics: Metrics) -> APIRouter:
    """``GET /metrics``: the Prometheus exposition, outside the API's bearer tokens."""
    router = APIRouter(tags=["health"])

    @router.get("/metrics", include_in_schema=False)
    async def scrape(
        request: Request, authorization: Annotated[str | None, Header()] = None
    ) -> Response:
        client = request.client.host if request.client is not None else None
        may_scrape(request.app.state.settings, client, authorization)
        return Response(await metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router
