"""The correlation id at the HTTP edge: read, made, answered, and forwarded to the
services a request calls."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from shared import correlation
from shared.correlation import CorrelationMiddleware


def echo_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(CorrelationMiddleware)

    @app.get("/id")
    async def which() -> dict[str, str | None]:
        return {"current": correlation.current()}

    return app


async def call(headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=echo_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/id", headers=headers)


async def test_the_request_id_is_bound_while_handling_and_answered() -> None:
    r = await call({"X-Request-ID": "req-1"})
    assert r.json() == {"current": "req-1"} and r.headers["x-request-id"] == "req-1"
    assert correlation.current() is None  # nothing leaks out of the request


async def test_x_correlation_id_is_read_too_and_a_missing_id_is_made() -> None:
    assert (await call({"X-Correlation-ID": "c-2"})).json()["current"] == "c-2"
    made = await call({})
    assert made.json()["current"] == made.headers["x-request-id"]
    assert correlation.accepted(made.headers["x-request-id"])


async def test_an_id_too_long_or_with_other_characters_is_replaced() -> None:
    for bad in ("x" * 65, "<script>", "a b", "a/b"):
        r = await call({"X-Request-ID": bad})
        assert r.headers["x-request-id"] != bad and correlation.accepted(r.headers["x-request-id"])


async def test_calls_to_another_service_carry_the_current_id() -> None:
    seen: list[str | None] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("x-request-id"))
        return httpx.Response(200)

    transport = httpx.MockTransport(record)
    async with httpx.AsyncClient(transport=transport, event_hooks=correlation.FORWARD) as client:
        with correlation.bound("page-9"):
            await client.get("http://profiles/me")
        await client.get("http://profiles/me")
    assert seen == ["page-9", None]
