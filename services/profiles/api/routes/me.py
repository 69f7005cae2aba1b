"""``/me``: the caller's own profile, identified by the token's subject only.

``GET /me`` and ``PATCH /me`` are the hottest routes of the service: :data:`lean` serves
their usual requests before FastAPI's routes below (which document them and answer
every request the lean handlers decline: :mod:`shared.lean_route`), with the same
functions for the caller, the work and the answer.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request, Response, status

from services.profiles.api.deps import EngineDep, engine_of, outbox_changed
from services.profiles.api.schemas import (
    MEMBER_ID_PATTERN,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
    PersonalDataExport,
)
from services.profiles.domain.errors import FieldError, InvalidProfile
from services.profiles.service_layer import members, own_profile, personal_data
from shared.auth import Principal
from shared.db import read
from shared.lean_route import LeanRoute, json_body, validated
from shared.problems import problem_responses
from shared.web import CurrentPrincipal, current_principal, model_response

router = APIRouter(prefix="/me", tags=["me"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberPublic,
    responses=problem_responses(400, 401, 403, 409, 422),
    summary="Créer son propre profil",
    description="Sans identifiant RH, manager ni équipe : ces champs sont tenus par les RH.",
)
def register_me(
    body: MemberCreate, engine: EngineDep, request: Request, principal: CurrentPrincipal
) -> MemberPublic:
    if not re.fullmatch(MEMBER_ID_PATTERN, principal.subject):
        raise InvalidProfile([FieldError("sub", "token_subject_unusable")])
    member = own_profile.register_self(
        engine, body, principal.subject, settings=request.app.state.settings
    )
    outbox_changed(request)
    return member


@router.get(
    "", response_model=MemberPublic, responses=problem_responses(401, 404), summary="Mon profil"
)
async def read_me(request: Request, principal: CurrentPrincipal) -> Response:
    return await own(request, principal)


@router.patch(
    "",
    response_model=MemberPublic,
    responses=problem_responses(400, 401, 403, 404, 409, 422),
    summary="Modifier mon profil",
    description=(
        "Les champs tenus par les RH (email, external_id, site, department, function, "
        "manager, team, start_date) sont refusés (403) et rien n'est enregistré."
    ),
)
async def update_me(body: MemberUpdate, request: Request, principal: CurrentPrincipal) -> Response:
    return await update_own(request, principal, body)


async def own(request: Request, principal: Principal) -> Response:
    """The caller's profile (``GET /me``)."""
    engine = engine_of(request)
    return model_response(await read(engine, members.get_member, engine, principal.subject))


async def update_own(request: Request, principal: Principal, body: MemberUpdate) -> Response:
    """``body`` applied to the caller's profile, durably, and the profile (``PATCH /me``)."""
    member = await own_profile.update_own_profile_async(
        engine_of(request), principal.subject, body, request.app.state.settings
    )
    outbox_changed(request)
    return model_response(member)


async def lean_read(request: Request) -> Response:
    return await own(request, await current_principal(request))


async def lean_update(request: Request) -> Response:
    # the body first, then the caller, as FastAPI does (an invalid body is declined)
    body = validated(MemberUpdate, await json_body(request))
    return await update_own(request, await current_principal(request), body)


#: ``GET`` and ``PATCH /me`` without FastAPI's request machinery (see the module).
lean = LeanRoute("/me", {"GET": lean_read, "PATCH": lean_update})


@router.delete(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 409),
    summary="Effacer mon profil (RGPD)",
)
def erase_me(engine: EngineDep, request: Request, principal: CurrentPrincipal) -> Response:
    personal_data.erase_member(engine, principal.subject)
    outbox_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/export",
    response_model=PersonalDataExport,
    responses=problem_responses(401, 404),
    summary="Exporter toutes mes données (RGPD)",
)
def export_me(engine: EngineDep, principal: CurrentPrincipal) -> PersonalDataExport:
    return personal_data.export_personal_data(engine, principal.subject)
