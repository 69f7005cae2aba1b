"""``/me``: the caller's own profile, identified by the token's subject only."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response, status

from services.profiles.api.deps import EngineDep, outbox_changed
from services.profiles.api.schemas import (
    MEMBER_ID_PATTERN,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
    PersonalDataExport,
)
from services.profiles.domain.errors import FieldError, InvalidProfile
from services.profiles.service_layer import members
from shared.problems import problem_responses
from shared.web import CurrentPrincipal

router = APIRouter(prefix="/me", tags=["me"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberPublic,
    responses=problem_responses(400, 401, 409, 422),
    summary="Créer son propre profil",
)
def register_me(
    body: MemberCreate, engine: EngineDep, request: Request, principal: CurrentPrincipal
) -> MemberPublic:
    if not re.fullmatch(MEMBER_ID_PATTERN, principal.subject):
        raise InvalidProfile([FieldError("sub", "token_subject_unusable")])
    member = members.register_member(engine, body, member_id=principal.subject)
    outbox_changed(request)
    return member


@router.get(
    "", response_model=MemberPublic, responses=problem_responses(401, 404), summary="Mon profil"
)
def read_me(engine: EngineDep, principal: CurrentPrincipal) -> MemberPublic:
    return members.get_member(engine, principal.subject)


@router.patch(
    "",
    response_model=MemberPublic,
    responses=problem_responses(400, 401, 404, 409, 422),
    summary="Modifier mon profil",
)
def update_me(
    body: MemberUpdate, engine: EngineDep, request: Request, principal: CurrentPrincipal
) -> MemberPublic:
    member = members.update_member(engine, principal.subject, body)
    outbox_changed(request)
    return member


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 409),
    summary="Effacer mon profil (RGPD)",
)
def erase_me(engine: EngineDep, request: Request, principal: CurrentPrincipal) -> Response:
    members.erase_member(engine, principal.subject)
    outbox_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/export",
    response_model=PersonalDataExport,
    responses=problem_responses(401, 404),
    summary="Exporter toutes mes données (RGPD)",
)
def export_me(engine: EngineDep, principal: CurrentPrincipal) -> PersonalDataExport:
    return members.export_personal_data(engine, principal.subject)
