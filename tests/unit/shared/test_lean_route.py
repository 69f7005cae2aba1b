"""A lean route answers its usual requests itself and hands every other one, body
included, to FastAPI's route for the same path (``shared.lean_route``)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from pydantic import BaseModel, ConfigDict

from shared.lean_route import Declined, LeanRoute, json_body, serve_lean, validated


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str


def app_with_lean_route() -> FastAPI:
    app = FastAPI()

    @app.put("/note")
    async def put_note(note: Note) -> Response:
        return Response(f"fastapi:{note.text}")

    async def lean_put(request: Request) -> Response:
        body = await json_body(request)
        note = validated(Note, body)
        if note.text == "ask fastapi":  # declined after the body was read
            raise Declined(body)
        return Response(f"lean:{note.text}")

    serve_lean(app, LeanRoute("/note", {"PUT": lean_put}))
    return app


async def put(app: FastAPI, **kwargs: object) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.put("/note", **kwargs)  # type: ignore[arg-type]


async def test_a_plain_json_body_that_validates_is_answered_by_the_lean_handler() -> None:
    answer = await put(app_with_lean_route(), json={"text": "hello"})
    assert answer.text == "lean:hello"


@pytest.mark.parametrize(
    ("kwargs", "status", "text"),
    [
        ({"json": {"text": "hi", "extra": 1}}, 422, None),  # does not validate
        ({"json": {"text": "ask fastapi"}}, 200, "fastapi:ask fastapi"),
        ({"content": b'{"text": "hi"}', "headers": {"content-type": "text/plain"}}, 422, None),
        (
            {"content": b'{"text": "hi"}', "headers": {"content-type": "application/x+json"}},
            200,
            "fastapi:hi",
        ),
    ],
)
async def test_anything_else_goes_to_fastapis_route_with_its_body(
    kwargs: dict[str, object], status: int, text: str | None
) -> None:
    answer = await put(app_with_lean_route(), **kwargs)
    assert answer.status_code == status
    if text is not None:
        assert answer.text == text  # the body reached FastAPI's route: replayed or unread


def test_a_lean_route_is_tried_first_and_only_beside_a_fastapi_route() -> None:
    app = app_with_lean_route()
    assert isinstance(app.router.routes[0], LeanRoute)
    with pytest.raises(ValueError, match="GET"):
        serve_lean(app, LeanRoute("/note", {"GET": app.router.routes[0].handlers["PUT"]}))
