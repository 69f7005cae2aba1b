"""RFC 9457 problem+json: the one error format, in the caller's language."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Body, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from shared.auth import mint_token
from shared.errors import FieldError, Invalid, NotFound
from shared.pagination import Page, Paging
from shared.problems import MEDIA_TYPE, document_problems, install_problem_handlers
from shared.settings import Settings
from shared.web import BodySizeLimit, CurrentPrincipal


class Thing(BaseModel):
    name: str
    size: int


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(BodySizeLimit, max_bytes=100)
    install_problem_handlers(app)
    document_problems(app)

    @app.get("/things")
    def things(paging: Paging) -> Page[int]:
        return Page.of([1, 2], 2, paging)

    @app.get("/things/{name}")
    def thing(name: str) -> Thing:
        raise NotFound("member_not_found", member_id=name)

    @app.post("/things")
    def create(thing: Annotated[Thing, Body()]) -> Thing:
        raise Invalid(field_errors=[FieldError("size", "validation.less_than_equal", {"le": 3})])

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    return app


client = TestClient(_app(), raise_server_exceptions=False)


def test_a_service_error_is_a_problem_document_in_french_by_default() -> None:
    r = client.get("/things/m1")
    assert r.status_code == 404
    assert r.headers["content-type"] == MEDIA_TYPE
    body = r.json()
    assert body["type"] == "urn:entraide:problem:member_not_found"
    assert body["title"] == "Introuvable"
    assert body["detail"] == "Membre m1 introuvable."
    assert body["status"] == 404 and body["instance"] == "/things/m1"


def test_the_same_error_is_in_english_when_the_caller_asks_for_it() -> None:
    body = client.get("/things/m1", headers={"Accept-Language": "en-GB,en;q=0.8"}).json()
    assert body["title"] == "Not found" and body["detail"] == "Member m1 not found."


def test_a_validation_error_lists_every_field_with_a_readable_message() -> None:
    r = client.post("/things", json={"size": "big"})
    assert r.status_code == 422
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert errors["name"]["message"] == "champ obligatoire"
    assert errors["size"]["code"] == "validation.int_parsing"
    assert r.json()["detail"].startswith("La requête contient 2 erreur")


def test_a_rule_broken_by_a_field_is_a_422_naming_the_field() -> None:
    r = client.post("/things", json={"name": "a", "size": 9}, headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {
            "field": "size",
            "location": "body",
            "code": "validation.less_than_equal",
            "message": "value too large (at most 3)",
        }
    ]


def test_a_huge_offset_is_a_422_not_a_server_error() -> None:
    r = client.get("/things", params={"offset": "100000000000000000000"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "offset"
    assert r.json()["errors"][0]["location"] == "query"
    assert client.get("/things", params={"limit": 0}).status_code == 422
    assert client.get("/things").json() == {"items": [1, 2], "total": 2, "limit": 50, "offset": 0}


def test_an_unexpected_error_is_a_500_problem_that_does_not_leak_internals() -> None:
    r = client.get("/boom")
    assert r.status_code == 500 and r.headers["content-type"] == MEDIA_TYPE
    assert "secret" not in r.text


def test_a_body_over_the_limit_is_a_413_problem() -> None:
    r = client.post("/things", content=b"x" * 500, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["code"] == "body_too_large"


def test_an_unknown_route_is_a_problem_too() -> None:
    r = client.get("/nowhere")
    assert r.status_code == 404 and r.json()["code"] == "route_not_found"


def test_the_openapi_document_gives_problem_json_for_every_error_answer() -> None:
    document = client.get("/openapi.json").json()
    assert "Problem" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    post = document["paths"]["/things"]["post"]["responses"]
    assert set(post["422"]["content"]) == {MEDIA_TYPE}
    assert "413" in post


def test_an_erased_members_token_is_refused_while_others_pass() -> None:

    settings = Settings()
    app = _app()
    app.state.settings = settings
    erased_at = time.time() + 5  # erased after the tokens below were issued
    app.state.erased_subjects = lambda subject, issued_at: (
        subject == "gone" and issued_at <= erased_at
    )

    @app.get("/whoami")
    def whoami(me: CurrentPrincipal) -> str:
        return me.subject

    erased_client = TestClient(app)
    gone = mint_token(settings, "gone", ("member",))
    kept = mint_token(settings, "kept", ("member",))
    r = erased_client.get("/whoami", headers={"Authorization": f"Bearer {gone}"})
    assert r.status_code == 401 and r.json()["code"] == "account_erased"
    r = erased_client.get("/whoami", headers={"Authorization": f"Bearer {kept}"})
    assert r.status_code == 200 and r.json() == "kept"
    app.state.erased_subjects = lambda subject, issued_at: issued_at <= erased_at - 10
    r = erased_client.get("/whoami", headers={"Authorization": f"Bearer {gone}"})
    assert r.status_code == 200, "a token issued after the erasure (registered again) passes"
