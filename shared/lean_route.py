"""Lean routes: a hot route served by a plain function before FastAPI's own route.

FastAPI's machinery for one request (the included routers tried in turn, the request
handler, the dependency tree, the body read and parsed twice over: JSON, then the
model) cost about a third of the event loop's CPU on ``PATCH /me`` (cProfile, thread
CPU time; ``docs/BENCHMARKS.md``). A :class:`LeanRoute` answers the usual request of a
hot path with the same service functions, models, auth and response helpers, and is
tried first; FastAPI's route for the same path and methods stays where it was: it
makes the OpenAPI document and answers **every unusual request** — a lean handler
raises :class:`Declined` (a body that is not plain JSON or does not validate, an
app-wide body limit), and the request goes to FastAPI's route exactly as if the lean
route were not there, its body replayed. So every error answer (status, problem
code, field errors, language, headers) is FastAPI's own, produced in FastAPI's order.

What stays around a lean route: every middleware (correlation id, metrics, body-size
limit, the problem handlers: a service error raised by a lean handler reaches the
same handler as from a FastAPI route), and the metrics label (the route's path).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, get_route_path
from starlette.types import Message, Receive, Scope, Send

#: A lean handler: the answer to a request, or :class:`Declined`.
LeanHandler = Callable[[Request], Awaitable[Response]]
M = TypeVar("M", bound=BaseModel)

#: Scope key set when a lean route declined the request: it then matches nothing.
_DECLINED = "entraide.lean_declined"
#: The content types whose body a lean handler parses itself (FastAPI parses more:
#: ``application/*+json``, or no content type when not strict; those decline).
_PLAIN_JSON = (b"application/json", b"application/json; charset=utf-8")


class Declined(Exception):
    """Raised by a lean handler: FastAPI's own route answers this request instead.

    ``body`` is what the handler already read from the client (replayed to FastAPI),
    ``None`` when it read nothing.
    """

    def __init__(self, body: bytes | None = None) -> None:
        super().__init__("declined")
        self.body = body


class LeanRoute(BaseRoute):
    """``handlers`` by HTTP method for ``path`` (an exact path, no parameter).

    Tried before every other route (:func:`serve_lean`). A method it does not handle,
    another path, or a request it declined goes on to FastAPI's routes.
    """

    def __init__(self, path: str, handlers: Mapping[str, LeanHandler]) -> None:
        self.path = self.path_format = path
        self.handlers = dict(handlers)
        self.include_in_schema = False  # FastAPI's route documents the path

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] == "http"
            and scope["method"] in self.handlers
            and _DECLINED not in scope
            and get_route_path(scope) == self.path
        ):
            handler = self.handlers[scope["method"]]
            return Match.FULL, {"route": self, "endpoint": handler, "path_params": {}}
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            response = await self.handlers[scope["method"]](Request(scope, receive))
        except Declined as declined:
            scope[_DECLINED] = True
            if declined.body is not None:
                receive = _replay(declined.body, receive)
            await scope["router"](scope, receive, send)
            return
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """``receive`` with ``body`` given again first (it was read already)."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replayed() -> Message:
        return pending.pop() if pending else await receive()

    return replayed


def serve_lean(app: FastAPI, route: LeanRoute) -> None:
    """Put ``route`` before every route of ``app``.

    Refused unless ``app`` has a FastAPI route for each of its methods at the same path:
    that route documents it and answers what the lean handler declines.
    """
    documented = {
        method
        for r in iter_route_contexts(app.routes)  # through the included routers
        if isinstance(r.original_route, APIRoute) and r.path == route.path
        for method in r.methods or ()
    }
    missing = set(route.handlers) - documented
    if missing:
        raise ValueError(f"no FastAPI route for {sorted(missing)} {route.path}")
    app.router.routes.insert(0, route)


async def json_body(request: Request) -> bytes:
    """The request's body when it is plain JSON for a lean handler to parse, else
    :class:`Declined` (FastAPI's route reads it its own way).

    A body that cannot be read is a 400 ``body_unreadable``, as from FastAPI.
    """
    scope = request.scope
    if MAX_BODY_SIZE_SCOPE_KEY in scope:  # FastAPI's own body limit: its errors
        raise Declined()
    kind = next((v for k, v in scope["headers"] if k == b"content-type"), None)
    if kind is None or kind.lower() not in _PLAIN_JSON:
        raise Declined()
    try:
        return await _read(request.receive)
    except Exception as exc:  # what FastAPI's request handler answers too
        raise HTTPException(400, "There was an error parsing the body") from exc


async def _read(receive: Receive) -> bytes:
    """The whole body, as ``Request.body`` reads it, without its async generator."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def validated(model: type[M], body: bytes) -> M:
    """``body`` validated as ``model`` (one pass: JSON and the model together), or
    :class:`Declined`: FastAPI's route then answers the 422 with its field errors."""
    try:
        return model.model_validate_json(body)
    except ValidationError:
        raise Declined(body) from None
