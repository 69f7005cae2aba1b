"""``/me``: the caller's own profile, identified by the token's subject only."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response, status

from services.profiles import service
from services.profiles.api.deps import EngineDep, outbox_changed, responses
from services.profiles.errors import InvalidProfile, Problem
from services.profiles.schemas import (
    MEMBER_ID_PATTERN,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
    PersonalDataExport,
)
from shared.web import CurrentPrincipal

router = APIRouter(prefix="/me", tags=["me"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberPublic,
    responses=responses(401, 409, 413),
    summary="Créer son propre profil",
)
def register_me(
    body: MemberCreate, engine: EngineDep, request: Request, principal: CurrentPrincipal
) -> MemberPublic:
    if not re.fullmatch(MEMBER_ID_PATTERN, principal.subject):
        raise InvalidProfile([Problem("sub", "identifiant de jeton inutilisable comme id")])
    member = service.register_member(engine, body, member_id=principal.subject)
    outbox_changed(request)
    return member


@router.get("", response_model=MemberPublic, responses=responses(401, 404), summary="Mon profil")
def read_me(engine: EngineDep, principal: CurrentPrincipal) -> MemberPublic:
    return service.get_member(engine, principal.subject)


@router.patch(
    "",
    response_model=MemberPublic,
    responses=responses(401, 404, 409, 413),
    summary="Modifier mon profil",
)
def update_me(
    body: MemberUpdate, engine: EngineDep, request: Request, principal: CurrentPrincipal
) -> MemberPublic:
    member = service.update_member(engine, principal.subject, body)
    outbox_changed(request)
    return member


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(401, 404, 409),
    summary="Effacer mon profil (RGPD)",
)
def erase_me(engine: EngineDep, request: Request, principal: CurrentPrincipal) -> Response:
    service.erase_member(engine, principal.subject)
    outbox_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/export",
    response_model=PersonalDataExport,
    responses=responses(401, 404),
    summary="Exporter toutes mes données (RGPD)",
)
def export_me(engine: EngineDep, principal: CurrentPrincipal) -> PersonalDataExport:
    return service.export_personal_data(engine, principal.subject)
