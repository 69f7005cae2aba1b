"""Shared pieces of the profiles routes: engine, relay wake-up, access rule, errors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.profiles.domain.messages import french_message
from services.profiles.errors import InvalidProfile, MemberNotFound, ProfilesError
from services.profiles.schemas import ImportReport
from shared.auth import Principal


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def outbox_changed(request: Request) -> None:
    """Wake the relay up after a commit that wrote outbox rows."""
    relay = getattr(request.app.state, "relay", None)
    if relay is not None:
        relay.notify()


def allowed(principal: Principal, member_id: str, *, write: bool) -> None:
    """Members reach only their own profile; others' ids look absent (no disclosure)."""
    if principal.is_coordinator or principal.subject == member_id:
        return
    if principal.is_service and not write:
        return
    raise MemberNotFound(f"Membre {member_id} introuvable.")


class Message(BaseModel):
    detail: str = Field(description="Explication lisible (en français).")


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationProblem(BaseModel):
    detail: list[ErrorItem]
    report: ImportReport | None = Field(None, description="Rapport d'import (lignes rejetées).")


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Corps de requête illisible.",
        401: "Jeton absent ou invalide.",
        403: "Rôle insuffisant.",
        404: "Introuvable (ou pas le vôtre).",
        409: "Conflit avec l'état enregistré.",
        413: "Corps de requête trop volumineux.",
    }
    out: dict[int | str, dict[str, Any]] = {
        c: {"model": Message, "description": text[c]} for c in (400, *codes)
    }
    out[422] = {"model": ValidationProblem, "description": "Données refusées, champ par champ."}
    return out


def _items(errors: Any) -> list[dict[str, Any]]:
    return [
        {"loc": list(e.get("loc", ())), "msg": french_message(e), "type": str(e.get("type", ""))}
        for e in errors
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Service errors -> 4xx with a French ``detail``; validation errors in French too."""

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return JSONResponse({"detail": _items(exc.errors())}, status_code=422)

    async def on_service_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ProfilesError)
        if isinstance(exc, InvalidProfile):
            detail: Any = [
                {"loc": ["body", *p.field.split(".")], "msg": p.message, "type": "value_error"}
                for p in exc.problems
            ]
        elif exc.status_code == 422:
            detail = [{"loc": ["body"], "msg": str(exc), "type": "value_error"}]
        else:
            detail = str(exc)
        return JSONResponse({"detail": detail}, status_code=exc.status_code)

    async def on_http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and exc.detail == "There was an error parsing the body":
            exc = StarletteHTTPException(400, "Corps de requête illisible (JSON UTF-8 attendu).")
        return await http_exception_handler(request, exc)

    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(ProfilesError, on_service_error)
