"""RFC 9457 problem details: the one error format of every service's HTTP API.

Every error answer is ``application/problem+json``::

    {"type": "urn:entraide:problem:member_not_found", "title": "Introuvable",
     "status": 404, "detail": "Membre m1 introuvable.", "instance": "/members/m1",
     "code": "member_not_found", "errors": []}

``errors`` lists the field errors of a 422 (field, location, code, message). Text is
in the caller's language (``Accept-Language``, French by default), rendered from the
message catalogue. :func:`install_problem_handlers` is the one exception-to-status
mapping, installed by the app factory.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.errors import EntraideError, FieldError
from shared.storage import is_storage_fault
from shared.vocabulary import Language, negotiate, translate
from shared.vocabulary.i18n import has_message

log = logging.getLogger("entraide.problems")

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:entraide:problem:"
_LOCATIONS = {"body", "query", "path", "header", "cookie"}


class FieldProblem(BaseModel):
    """One field error of a 422 answer."""

    field: str = Field(description="Dotted path of the field (``skills.0.level``).")
    location: str = Field("body", description="Where: body, query, path, header.")
    code: str = Field(description="Stable message code (``validation.missing``...).")
    message: str = Field(description="The error in the caller's language.")


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI of the problem type: urn:entraide:problem:<code>.")
    title: str = Field(description="Short summary of the status, in the caller's language.")
    status: int = Field(description="The HTTP status.")
    detail: str = Field(description="What happened, in the caller's language.")
    instance: str | None = Field(None, description="The path that was called.")
    code: str = Field(description="Stable code of the message (machine-readable).")
    errors: list[FieldProblem] = Field(default_factory=list, description="Field errors (422).")


def problem_response(
    request: Request,
    status: int,
    code: str,
    params: Mapping[str, Any] | None = None,
    errors: Sequence[FieldProblem] = (),
    extensions: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    detail: str | None = None,
) -> JSONResponse:
    """The problem+json answer for ``code`` in the language the request asks for.

    ``detail`` overrides the catalogue's text (only for a framework's own message).
    """
    language = request_language(request)
    body = Problem(
        type=TYPE_PREFIX + code,
        title=translate(f"http.{status}", language) if has_message(f"http.{status}") else "",
        status=status,
        detail=detail if detail is not None else translate(code, language, **dict(params or {})),
        instance=request.url.path,
        code=code,
        errors=list(errors),
    ).model_dump(mode="json")
    body.update(extensions or {})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def request_language(request: Request) -> Language:
    return negotiate(request.headers.get("accept-language"))


def field_problems(
    errors: Iterable[FieldError], language: Language, location: str = "body"
) -> list[FieldProblem]:
    """Service field errors rendered in ``language``."""
    return [
        FieldProblem(
            field=e.field,
            location=location,
            code=e.code,
            message=translate(e.code, language, **dict(e.params)),
        )
        for e in errors
    ]


def validation_problems(
    errors: Iterable[Mapping[str, Any]], language: Language
) -> list[FieldProblem]:
    """Pydantic/FastAPI validation errors as field problems in ``language``."""
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc.pop(0) if loc and loc[0] in _LOCATIONS else "body"
        kind = str(error.get("type", "unknown"))
        out.append(
            FieldProblem(
                field=".".join(loc),
                location=location,
                code=f"validation.{kind}",
                message=_validation_message(kind, error, language),
            )
        )
    return out


def _validation_message(kind: str, error: Mapping[str, Any], language: Language) -> str:
    if kind == "value_error":  # raised by our own validators: their text is the message
        return str(error.get("msg", "")).removeprefix("Value error, ")
    code = f"validation.{kind}" if has_message(f"validation.{kind}") else "validation.unknown"
    ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, str | int | float)}
    return translate(code, language, **ctx)


def install_problem_handlers(app: FastAPI) -> None:
    """The one exception-to-status mapping: service errors, validation, HTTP, the rest."""

    async def on_service_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, EntraideError)
        language = request_language(request)
        return problem_response(
            request,
            exc.status,
            exc.code,
            exc.params,
            field_problems(exc.field_errors, language),
            exc.extensions,
            headers={"WWW-Authenticate": "Bearer"} if exc.status == 401 else None,
        )

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_problems(exc.errors(), request_language(request))
        return problem_response(request, 422, "invalid_request", {"n": len(errors)}, errors)

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = _http_code(exc)
        text = exc.detail if isinstance(exc.detail, str) and code.startswith("http.") else None
        return problem_response(request, exc.status_code, code, headers=exc.headers, detail=text)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        if is_storage_fault(exc):
            return on_storage_fault(request, exc)
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return problem_response(request, 500, "internal_error")

    app.add_exception_handler(DBAPIError, on_unexpected)  # handled here, not re-raised
    app.add_exception_handler(OSError, on_unexpected)
    app.add_exception_handler(EntraideError, on_service_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)


#: Seconds a client is told to wait after a storage fault (``Retry-After``).
STORAGE_RETRY_AFTER_S = 30


def on_storage_fault(request: Request, exc: BaseException) -> JSONResponse:
    """503: the disk refused the write (full, read-only); readiness learns it too."""
    log.error("storage fault on %s %s: %s", request.method, request.url.path, exc)
    probe = getattr(request.app.state, "storage_probe", None)
    if probe is not None:
        probe.fault_seen()
    headers = {"Retry-After": str(STORAGE_RETRY_AFTER_S)}
    return problem_response(request, 503, "storage_unavailable", headers=headers)


def _http_code(exc: StarletteHTTPException) -> str:
    if isinstance(exc.detail, str) and has_message(exc.detail):
        return exc.detail  # routes may raise HTTPException(status, "<code>")
    if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
        return "body_unreadable"
    if exc.detail == HTTPStatus(exc.status_code).phrase:  # Starlette's default detail
        return {404: "route_not_found", 405: "method_not_allowed"}.get(
            exc.status_code, f"http.{exc.status_code}"
        )
    return f"http.{exc.status_code}"


_DESCRIPTIONS = {
    400: "Corps de requête illisible.",
    401: "Jeton absent ou invalide.",
    403: "Rôle insuffisant.",
    404: "Introuvable (ou pas le vôtre).",
    409: "Conflit avec l'état enregistré.",
    413: "Corps de requête trop volumineux.",
    422: "Données refusées, champ par champ (liste ``errors``).",
    503: "Service momentanément indisponible ; réessayer.",
}
_PROBLEM_CONTENT = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for a route: each status documented as a problem+json."""
    return {
        status: {"description": _DESCRIPTIONS.get(status, f"HTTP {status}"), "content": {}}
        for status in statuses
    }


def document_problems(app: FastAPI) -> None:
    """Make the OpenAPI document say what the handlers answer.

    Every error response (4xx/5xx) of every operation is ``application/problem+json``
    with the :class:`Problem` schema, FastAPI's own 422 included, every operation
    documents 422, and every operation with a body 400 and 413 (an unreadable body and
    the body-size limit apply to all).
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (Problem, FieldProblem):
            components[model.__name__] = model.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                if operation.get("requestBody"):  # an unreadable or oversized body
                    responses.setdefault("400", {"description": _DESCRIPTIONS[400]})
                    responses.setdefault("413", {"description": _DESCRIPTIONS[413]})
                for status, response in responses.items():
                    if status[:1] in {"4", "5"}:
                        response["content"] = _PROBLEM_CONTENT
                        response.setdefault("description", _DESCRIPTIONS.get(int(status), ""))
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
