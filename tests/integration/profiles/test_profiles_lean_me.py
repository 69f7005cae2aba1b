"""``GET`` and ``PATCH /me`` through the lean route answer exactly as FastAPI's routes.

Each request is sent twice to the same running app (real database, real nats-server):
once with the lean route in front (as the service runs), once with it taken out (FastAPI's
routes alone, as before). Status, headers (the correlation id aside), body and the metrics
label must be the same: successes, and every kind of refusal (no or bad token, erased
member, unusual content types, bad JSON, invalid fields, too large a body, in French and
in English), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from services.profiles.api.routes import me
from services.profiles.main import create_app
from shared.lean_route import Declined, LeanRoute, serve_lean
from tests.integration.profiles.profiles_support import member_payload
from tests.support import bearer, running

pytestmark = pytest.mark.nats

#: Fields that change from one write to the next (the second write of the same patch).
_MOVING = {"version", "updated_at"}


def _lean_routes(app: FastAPI) -> list[Any]:
    return [r for r in app.router.routes if isinstance(r, LeanRoute)]


@asynccontextmanager
async def without_lean(app: FastAPI) -> AsyncIterator[None]:
    """FastAPI's routes alone (the lean route taken out for the block)."""
    lean = _lean_routes(app)
    for route in lean:
        app.router.routes.remove(route)
    try:
        yield
    finally:
        app.router.routes[:0] = lean


def comparable(answer: httpx.Response) -> dict[str, Any]:
    headers = {k: v for k, v in answer.headers.items() if k != "x-request-id"}
    try:
        body: Any = answer.json()
    except ValueError:
        body = answer.text
    if isinstance(body, dict):
        body = {k: v for k, v in body.items() if k not in _MOVING}
    if "content-length" in headers and isinstance(body, dict) and _MOVING & set(answer.json()):
        headers.pop("content-length")  # the version's digits may differ
    return {"status": answer.status_code, "headers": headers, "body": body}


async def both_ways(
    app: FastAPI, client: httpx.AsyncClient, case: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``case`` sent through the lean route, then to FastAPI's routes alone."""
    lean = comparable(await client.request(url="/me", **sent(case)))
    async with without_lean(app):
        plain = comparable(await client.request(url="/me", **sent(case)))
    return lean, plain


def requests_to_compare(
    own: dict[str, str], other: dict[str, str], max_bytes: int
) -> list[dict[str, Any]]:
    """Keyword arguments of ``client.request`` for each case (``max_bytes``: the
    service's body-size limit)."""
    too_long = b"x" * (max_bytes // 2 + 1)
    json_type = {"content-type": "application/json"}
    en = {"accept-language": "en"}
    return [
        {"method": "GET", "headers": own},
        {"method": "GET", "headers": {**own, **en}},
        {"method": "GET", "headers": {}},
        {"method": "GET", "headers": {"authorization": "Bearer not-a-token", **en}},
        {"method": "GET", "headers": {"authorization": "Basic abc"}},
        {"method": "GET", "headers": other},  # a valid token of no member: 404
        {"method": "HEAD", "headers": own},
        {"method": "PATCH", "json": {"availability": {"frequency": "monthly"}}, "headers": own},
        {"method": "PATCH", "json": {"display_name": "  Zoé  "}, "headers": {**own, **en}},
        {"method": "PATCH", "json": {"availability": {"frequency": "daily"}}, "headers": own},
        {"method": "PATCH", "json": {"site": "Lyon"}, "headers": own},  # an HR field: 403
        {"method": "PATCH", "json": {"skills": {"inconnue": 2}}, "headers": {**own, **en}},
        {"method": "PATCH", "json": {"display_name": None}, "headers": own},
        {"method": "PATCH", "json": {"nope": 1}, "headers": {**own, **en}},
        {"method": "PATCH", "json": [1, 2], "headers": own},
        {"method": "PATCH", "json": {"availability": {"frequency": "weekly"}}, "headers": {}},
        {"method": "PATCH", "json": {"nope": 1}, "headers": {}},  # invalid and no token
        {"method": "PATCH", "json": {}, "headers": other},
        {"method": "PATCH", "content": b"{not json", "headers": {**own, **json_type}},
        {"method": "PATCH", "content": b"{not json", "headers": {}},  # JSON before auth
        {"method": "PATCH", "content": b"", "headers": {**own, **json_type}},
        {"method": "PATCH", "content": b"\xff\xfe", "headers": {**own, **json_type}},
        {
            "method": "PATCH",
            "content": b'{"display_name": "Z\\ud800"}',
            "headers": {**own, **json_type},
        },
        {"method": "PATCH", "content": b"{}", "headers": own},  # no content type
        {"method": "PATCH", "content": b"{}", "headers": {**own, "content-type": "text/plain"}},
        {
            "method": "PATCH",
            "content": b'{"display_name": "Zo\xc3\xa9"}',
            "headers": {**own, "content-type": "application/merge-patch+json"},
        },
        {
            "method": "PATCH",
            "content": b'{"display_name": "Zo"}',
            "headers": {**own, "content-type": "Application/JSON; charset=UTF-8"},
        },
        {
            "method": "PATCH",
            "content": b'{"display_name": "' + too_long + too_long + b'"}',
            "headers": {**own, **json_type},
        },
        {
            "method": "PATCH",
            "chunks": [b'{"display_name": "', too_long, too_long, b'"}'],
            "headers": {**own, **json_type},
        },
        {
            "method": "PATCH",
            "chunks": [b'{"display_name"', b': "Zo"}'],
            "headers": {**own, **json_type},
        },
    ]


def sent(case: dict[str, Any]) -> dict[str, Any]:
    """``case`` as ``client.request`` takes it: ``chunks`` become a streamed body (no
    content-length: the body-size limit counts while the body is read)."""
    chunks = case.get("chunks")
    if chunks is None:
        return case

    async def stream() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk

    return {**{k: v for k, v in case.items() if k != "chunks"}, "content": stream()}


def count_answers(route: LeanRoute) -> list[str]:
    """The methods of the requests ``route``'s handlers answered themselves (a refusal
    raised as a service error counts; a declined request does not)."""
    answered: list[str] = []

    def counted(method: str, handler: Any) -> Any:
        async def wrapper(request: Any) -> Any:
            try:
                response = await handler(request)
            except Declined:
                raise
            except Exception:
                answered.append(method)
                raise
            answered.append(method)
            return response

        return wrapper

    route.handlers = {m: counted(m, h) for m, h in route.handlers.items()}
    return answered


async def test_the_lean_route_answers_every_case_as_fastapi_does(
    make_settings, db_url: str
) -> None:
    settings = make_settings(profiles_db_url=db_url)
    hr = bearer(settings, "hr-1", "coordinator")
    app = create_app(settings)
    (route,) = _lean_routes(app)
    answered = count_answers(route)
    async with running(app) as client:
        member = (await client.post("/members", json=member_payload(), headers=hr)).json()
        own = bearer(settings, member["id"])
        cases = requests_to_compare(own, bearer(settings, "m-nobody"), settings.max_body_bytes)
        for case in cases:
            lean, plain = await both_ways(app, client, case)
            assert lean == plain, case
        assert (await client.delete("/me", headers=own)).status_code == 204
        for method, body in (("GET", None), ("PATCH", {"display_name": "Revenu"})):
            case = {"method": method, "json": body, "headers": own}
            lean, plain = await both_ways(app, client, case)  # erased: the token is refused
            assert lean == plain and lean["status"] == 401, (method, lean)
        metrics = (await client.get("/metrics")).text
    assert (answered.count("GET"), answered.count("PATCH")) == (7, 10), answered
    assert 'route="/me"' in metrics and 'route="unmatched"' not in metrics


def test_a_lean_route_needs_fastapis_route_for_each_of_its_methods(make_settings) -> None:
    app = create_app(make_settings())

    async def nothing(request: Any) -> Any:
        raise AssertionError

    with pytest.raises(ValueError, match="PUT"):
        serve_lean(app, LeanRoute("/me", {"GET": nothing, "PUT": nothing}))
    with pytest.raises(ValueError, match="/nowhere"):
        serve_lean(app, LeanRoute("/nowhere", {"GET": nothing}))
    assert me.lean in app.router.routes[:1]
