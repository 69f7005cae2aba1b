"""HTTP pieces every service shares: health probes, metrics, body-size limit, auth, AsyncAPI."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.telemetry import TelemetryConfig
from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared import tracing
from shared.auth import AuthError, Principal, known_token, verify_token
from shared.broker import make_broker, start_broker
from shared.broker_metrics import faststream_middleware, watch_broker
from shared.correlation import CorrelationMiddleware
from shared.db import is_reachable, make_engine, read
from shared.errors import Forbidden, Unauthorized
from shared.events import Event
from shared.metrics import HttpMetrics, Metrics, metrics_router
from shared.migrations import upgrade
from shared.nats_access import Access
from shared.problems import (
    MEDIA_TYPE,
    TYPE_PREFIX,
    document_problems,
    install_problem_handlers,
)
from shared.settings import Settings
from shared.storage import StorageProbe
from shared.vocabulary import negotiate, translate

ReadyCheck = Callable[[], Awaitable[dict[str, bool]]]


class BodySizeLimit:
    """Pure ASGI middleware: bodies over ``max_bytes`` get 413 before reaching a route."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, send)
            return
        seen = 0
        too_big = False

        async def limited() -> Message:
            nonlocal seen, too_big
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    too_big = True
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._reject(scope, send)

    async def _reject(self, scope: Scope, send: Send) -> None:
        accept = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
        language = negotiate(accept)
        body = json.dumps(
            {
                "type": TYPE_PREFIX + "body_too_large",
                "title": translate("http.413", language),
                "status": 413,
                "detail": translate("body_too_large", language, max_bytes=self.max_bytes),
                "instance": scope.get("path"),
                "code": "body_too_large",
                "errors": [],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", MEDIA_TYPE.encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def health_router(ready: ReadyCheck) -> APIRouter:
    """``/healthz`` (process alive) and ``/readyz`` (broker connected, database reachable)."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        checks = await ready()
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not ready", "checks": checks},
            status_code=200 if ok else 503,
        )

    return router


def broker_connected(broker: NatsBroker) -> bool:
    conn = getattr(broker, "_connection", None)
    return bool(conn is not None and conn.is_connected)


def asyncapi_document(broker: NatsBroker, service: str, version: str) -> dict[str, Any]:
    """The AsyncAPI 3 document FastStream generates for ``service``'s broker."""
    spec = AsyncAPI(
        broker,
        title=f"Entraide {service}",
        version=version,
        description=f"Events consumed and produced by the Entraide {service} service.",
    )
    result: dict[str, Any] = json.loads(spec.to_specification().to_json())
    return result


def asyncapi_router(document: Callable[[], dict[str, Any]]) -> APIRouter:
    router = APIRouter(tags=["contract"])

    @router.get("/asyncapi.json", summary="AsyncAPI document of this service's events")
    async def asyncapi() -> dict[str, Any]:
        return document()

    return router


def model_response(model: BaseModel, status_code: int = 200) -> Response:
    """``model`` as the JSON answer, serialised once by pydantic.

    For a hot route whose ``response_model`` is the model's own class: returned as is,
    FastAPI would validate the object again (in the thread pool for a sync route) and
    encode it a second time. The route keeps its ``response_model`` for the OpenAPI
    document; the body is the same JSON.
    """
    return Response(
        model.model_dump_json(by_alias=True), status_code, media_type="application/json"
    )


class _CallerBearer(HTTPBearer):
    """The bearer scheme (for the OpenAPI document) and the caller it authenticates,
    as one dependency: FastAPI's resolution of each dependency of a request costs
    tens of microseconds (profiled on ``GET /me``), a sub-dependency for the header
    alone was one too many."""

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        credentials = await super().__call__(request)
        return await principal_of(request, credentials)


async def principal_of(
    request: Request, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    """The authenticated caller, or 401 (the dependency :data:`current_principal`).

    A member whose data was erased is refused with any token issued before the
    erasure, even one that has not expired: a service sets ``app.state.erased_subjects``
    to a check of its own records. A token issued after it (someone who registers
    again) is accepted.

    Async, so that it costs no hop to the thread pool on every request: a token seen
    before is found in memory (:func:`shared.auth.verify_token`), a new one is checked
    in a thread (a JWKS key may have to be fetched), and the erasure check reads the
    service's database where :func:`shared.db.read` says it is safe to.
    """
    if credentials is None:
        raise Unauthorized("auth_required")
    settings: Settings = request.app.state.settings
    token = credentials.credentials
    principal = known_token(settings, token)
    try:
        if principal is None:
            principal = await asyncio.to_thread(verify_token, settings, token)
    except AuthError as exc:
        raise Unauthorized("invalid_token", reason=str(exc)) from exc
    erased: ErasedCheck | None = getattr(request.app.state, "erased_subjects", None)
    if erased is not None and not principal.is_service:
        engine = getattr(request.app.state, "engine", None)
        if await read(engine, erased, principal.subject, principal.issued_at):
            raise Unauthorized("account_erased")
    return principal


#: FastAPI dependency: the authenticated caller, or 401 (:func:`principal_of`). Its
#: scheme keeps the name the OpenAPI document has always shown.
current_principal = _CallerBearer(auto_error=False, scheme_name="HTTPBearer")


#: ``check(subject, issued_at) -> True`` when that member's data was erased at or after
#: ``issued_at`` (seconds since the epoch): such a token is refused.
ErasedCheck = Callable[[str, float], bool]


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def require_coordinator(principal: CurrentPrincipal) -> Principal:
    if not principal.is_coordinator:
        raise Forbidden("coordinators_only")
    return principal


async def require_service(principal: CurrentPrincipal) -> Principal:
    if not (principal.is_service or principal.is_coordinator):
        raise Forbidden("services_only")
    return principal


Coordinator = Annotated[Principal, Depends(require_coordinator)]
InternalService = Annotated[Principal, Depends(require_service)]


def base_app(
    title: str,
    description: str,
    lifespan: Any,
    settings: Settings,
    metrics: Metrics,
    routers: Sequence[APIRouter] = (),
) -> FastAPI:
    """A FastAPI app with the shared middleware and state, the service's ``routers``
    first (:func:`include_first`), then ``/metrics``.

    ``metrics`` times every request (the outermost middleware, so a 413 counts too) and
    is served at ``/metrics`` (:mod:`shared.metrics`).
    """
    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        telemetry=NO_NATIVE_TELEMETRY,
    )
    app.state.settings = settings
    app.state.metrics = metrics
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(HttpMetrics, metrics=metrics)
    include_first(app, routers)
    app.include_router(metrics_router(metrics))
    app.add_middleware(CorrelationMiddleware)  # outermost: a 413 answer carries the id too
    return app


#: FastAPI's own OpenTelemetry bridge, off: a service traces through
#: :mod:`shared.tracing` (``ENTRAIDE_OTEL_*``, its own provider). Left on, the bridge asks
#: the global OpenTelemetry providers on every request whether one is configured
#: (environment lookups: about 20 microseconds of CPU per request, measured with
#: ``timeit`` on the loaded 2-core machine) and, should a library install a global
#: provider, would trace every request a second time.
NO_NATIVE_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}

Hook = Callable[[FastAPI], Awaitable[None]]

#: The paths every service answers the same way (:func:`health_router`, ``/metrics``,
#: the AsyncAPI document): no route of a service may answer one of them.
SHARED_PATHS = ("/healthz", "/readyz", "/metrics", "/asyncapi.json")


def include_first(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Include the service's ``routers`` before the shared ones.

    FastAPI tries an app's routes in order, and each router tried before the one that
    answers costs a match of its paths: with the health, metrics and AsyncAPI routers
    first, every request of a service paid for them (profiled: a tenth of the event
    loop's time on ``PATCH /me``). Since the service's routes now come first, none of
    them may match a shared path (it would hide it): refused here, at start-up.
    """
    for router in routers:
        for route in router.routes:
            regex = getattr(route, "path_regex", None)
            hidden = [p for p in SHARED_PATHS if regex is not None and regex.match(p)]
            if hidden:
                raise ValueError(f"{getattr(route, 'path', route)} would hide {hidden}")
        app.include_router(router)


def settle_heap() -> None:
    """Move what start-up allocated (modules, schemas, compiled statements, caches) out
    of the collector's reach (:func:`gc.freeze`).

    A full collection walks every tracked object; with them frozen it walks only what
    the service allocated since. Measured on profiles under ``PATCH /me`` load (bench/
    bench_profiles_api.py, a GC callback timing each pass): one full pass took 366 ms
    of the event loop (loaded machine), the whole tail of that slice.

    Only in a service's own process (:mod:`services.runner` sets
    ``app.state.settle_heap``): frozen objects are never collected, so a process that
    builds many apps (the tests) would keep every one.
    """
    gc.collect()
    gc.freeze()


def create_service_app(
    *,
    service: str,
    title: str,
    description: str,
    settings: Settings,
    published: Sequence[type[Event]],
    subscribe: Callable[[NatsBroker, Callable[[], Any]], None] | None = None,
    db_url: str,
    migrations: Path,
    routers: Sequence[APIRouter],
    on_start: Hook | None = None,
    on_stop: Hook | None = None,
    broker: bool = True,
    durable_commits: bool = False,
    nats_access: Access | None = None,
) -> FastAPI:
    """The one app factory of every service (composition root).

    Builds the broker with the service's subscribers (``subscribe``) and the publishers of
    the events it emits (``published``), and in the lifespan: the
    engine from settings, the migrations (an Alembic folder, upgraded to head), the
    broker connection and streams, then the service's own ``on_start`` hook; everything
    is closed in reverse order. Every error answer is RFC 9457 problem+json
    (:func:`shared.problems.install_problem_handlers`).

    ``nats_access`` is what the service's NATS user may do (its streams are created at
    start-up). ``broker=False`` is for a service that neither consumes nor publishes events (the
    portal): no broker is built, readiness checks the database only, and there is no
    AsyncAPI document (``app.state.asyncapi`` is ``None``).

    Every service answers ``/metrics`` (:mod:`shared.metrics`): HTTP latency per route,
    the broker's consumers (FastStream's middleware), the lag of the service's durable
    consumers and its dead letters; the service adds its own probes in ``on_start``
    (``app.state.metrics``).

    ``durable_commits=True`` opens a SQLite database with ``synchronous=FULL`` (each
    commit on disk before it returns; see :func:`shared.db.make_engine`).
    """
    app_state: dict[str, Any] = {}
    metrics = Metrics(service, settings.metrics_refresh_s)
    nats = make_broker(settings, service, [faststream_middleware(metrics)]) if broker else None
    if nats is not None:
        if subscribe is not None:  # handlers get the engine lazily: it exists once started
            subscribe(nats, lambda: app_state["engine"])
        for event in published:  # declared so the AsyncAPI document shows what we emit
            nats.publisher(event.subject, schema=event, description=event.__doc__)
        watch_broker(metrics, nats, service, nats_access)  # read once connected

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(db_url, "FULL" if durable_commits else settings.sqlite_synchronous)
        upgrade(engine, migrations)
        app_state["engine"] = app.state.engine = engine
        if nats is not None:
            await start_broker(nats, settings, nats_access)
            app.state.broker = nats
        if on_start is not None:
            await on_start(app)
        if getattr(app.state, "settle_heap", False):  # a service's own process (runner)
            settle_heap()
        try:
            yield
        finally:
            if on_stop is not None:
                await on_stop(app)
            if nats is not None:
                await nats.stop()
            engine.dispose()

    app = base_app(title, description, lifespan, settings, metrics, routers)

    storage = app.state.storage_probe = StorageProbe(db_url)

    async def ready() -> dict[str, bool]:
        engine = getattr(app.state, "engine", None)
        database = {
            "database": engine is not None and is_reachable(engine),
            "storage": await asyncio.to_thread(storage.writable, engine),
        }
        return database if nats is None else {"broker": broker_connected(nats), **database}

    app.include_router(health_router(ready))
    app.state.asyncapi = None
    if nats is not None:

        def document() -> dict[str, Any]:
            return asyncapi_document(nats, service, app.version)

        app.include_router(asyncapi_router(document))
        app.state.asyncapi = document
    app.state.service = service
    install_problem_handlers(app)
    document_problems(app)
    tracing.instrument_app(app, settings, service)  # nothing when tracing is off
    return app
