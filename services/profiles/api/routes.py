"""HTTP routes of the profiles service: validate, call one use case, translate errors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy import Engine

from services.profiles import service
from services.profiles.errors import ProfilesError
from services.profiles.schemas import MemberCreate, MemberPublic
from shared.web import Coordinator, CurrentPrincipal

router = APIRouter(prefix="/members", tags=["members"])


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def _http(exc: ProfilesError) -> HTTPException:
    return HTTPException(exc.status_code, str(exc))


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MemberPublic)
def create_member(
    body: MemberCreate, engine: EngineDep, request: Request, _: Coordinator
) -> MemberPublic:
    try:
        member = service.register_member(engine, body)
    except ProfilesError as exc:
        raise _http(exc) from exc
    request.app.state.relay.notify()
    return member


@router.get("/{member_id}", response_model=MemberPublic)
def read_member(member_id: str, engine: EngineDep, principal: CurrentPrincipal) -> MemberPublic:
    if not (principal.is_coordinator or principal.is_service or principal.subject == member_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Membre {member_id} introuvable.")
    try:
        return service.get_member(engine, member_id)
    except ProfilesError as exc:
        raise _http(exc) from exc
