"""Routes on members by id (coordinators, the member themself, internal services)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import Field

from services.profiles.adapters.member_queries import MemberFilter
from services.profiles.api.deps import EngineDep, Paging, allowed, outbox_changed
from services.profiles.api.schemas import (
    MemberContact,
    MemberCreate,
    MemberDeactivation,
    MemberName,
    MemberPublic,
    MemberUpdate,
    PersonalDataExport,
)
from services.profiles.service_layer import (
    deactivation,
    exports,
    members,
    own_profile,
    personal_data,
    registration,
)
from shared.pagination import Page
from shared.problems import problem_responses
from shared.web import Coordinator, CurrentPrincipal, InternalService

router = APIRouter(prefix="/members", tags=["members"])

OptIn = Literal["mentor", "mentee", "groups", "seminars", "facilitator"]
Status = Literal["active", "left"]


def member_filter(
    site: Annotated[str | None, Query(max_length=120)] = None,
    function: Annotated[str | None, Query(max_length=120)] = None,
    opt_in: OptIn | None = None,
    skill: Annotated[str | None, Query(max_length=64)] = None,
    min_level: Annotated[int, Query(ge=0, le=4)] = 0,
    external_id: Annotated[str | None, Query(max_length=64)] = None,
    arrived_since: Annotated[
        date | None, Query(description="Arrivés ce jour ou après (start_date).")
    ] = None,
    status: Annotated[
        Status | None,
        Query(description="`active` : encore dans le réseau ; `left` : parti·es (`left_on`)."),
    ] = None,
    id: Annotated[
        list[Annotated[str, Field(max_length=64)]] | None,
        Query(max_length=500, description="Seulement ces membres (id répété)."),
    ] = None,
    name: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=120,
            description="Nom affiché contenant ce texte (sans tenir compte de la casse).",
        ),
    ] = None,
) -> MemberFilter:
    return MemberFilter(
        site=site,
        external_id=external_id,
        function=function,
        opt_in=opt_in,
        skill=skill,
        min_level=min_level,
        arrived_since=arrived_since,
        status=status,
        ids=tuple(id or ()),
        name=name.strip() or None if name else None,
    )


Filters = Annotated[MemberFilter, Depends(member_filter)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=MemberPublic,
    responses=problem_responses(400, 401, 403, 409, 422),
    summary="Créer un membre (coordinateur)",
)
def create_member(
    body: MemberCreate, engine: EngineDep, request: Request, _: Coordinator
) -> MemberPublic:
    member = registration.register_member(engine, body, settings=request.app.state.settings)
    outbox_changed(request)
    return member


@router.get(
    "",
    response_model=Page[MemberPublic],
    responses=problem_responses(401, 403, 422),
    summary="Lister (filtres, pagination limit/offset)",
)
def list_members(
    engine: EngineDep, _: Coordinator, where: Filters, page: Paging
) -> Page[MemberPublic]:
    return members.list_members(engine, where, page)


@router.get(
    "/export",
    response_model=list[MemberPublic],
    summary="Exporter (CSV ou JSON)",
    responses={
        **problem_responses(401, 403, 422),
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
    },
)
def export_members(
    engine: EngineDep,
    _: Coordinator,
    where: Filters,
    format: Literal["json", "csv"] = "json",
) -> list[MemberPublic] | Response:
    if format == "csv":
        return Response(
            exports.export_csv(engine, where),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="membres.csv"'},
        )
    return exports.export_json(engine, where)


@router.get(
    "/names",
    response_model=Page[MemberName],
    responses=problem_responses(401, 403, 422),
    summary="Noms et sites (mêmes filtres que la liste ; coordinateur)",
    description="Les membres de `GET /members` réduits à `id`, `display_name`, `site` : "
    "de quoi écrire des noms (plan de table, proposition) sans lire les profils.",
)
def list_names(engine: EngineDep, _: Coordinator, where: Filters, page: Paging) -> Page[MemberName]:
    return members.list_names(engine, where, page)


#: The ``id`` of the members read at once (repeated), 500 at most.
Ids = Annotated[
    list[Annotated[str, Field(max_length=64)]],
    Query(min_length=1, max_length=500, description="Ces membres (id répété)."),
]


@router.get(
    "/by-id",
    response_model=Page[MemberPublic],
    responses=problem_responses(401, 403, 422),
    summary="Lire plusieurs profils par identifiant (services internes)",
    description="Les profils des `id` donnés (500 au plus), absents s'ils sont effacés "
    "ou inconnus : un service lit en un appel les contacts d'un envoi groupé au lieu "
    "d'un `GET /members/{id}` par personne.",
)
def members_by_id(
    engine: EngineDep,
    _: InternalService,
    page: Paging,
    id: Ids,
) -> Page[MemberPublic]:
    return members.list_members(engine, MemberFilter(ids=tuple(id)), page)


@router.get(
    "/contacts",
    response_model=Page[MemberContact],
    responses=problem_responses(401, 403, 422),
    summary="Lire les coordonnées de plusieurs membres (services internes)",
    description="Comme `GET /members/by-id`, réduit à ce qu'un message demande : nom, "
    "adresse, langue, canaux, webhook, pause. Le notificateur lit ainsi les personnes "
    "nommées dans un envoi groupé sans décoder leurs profils complets.",
)
def member_contacts(
    engine: EngineDep,
    _: InternalService,
    page: Paging,
    id: Ids,
) -> Page[MemberContact]:
    return members.list_contacts(engine, tuple(id), page)


@router.get(
    "/lookup",
    response_model=MemberPublic,
    responses=problem_responses(400, 401, 403, 404, 422),
    summary="Retrouver un membre par identifiant RH ou adresse (liaison d'un compte)",
)
def lookup_member(
    engine: EngineDep,
    _: InternalService,
    external_id: Annotated[str | None, Query(max_length=64)] = None,
    email: Annotated[str | None, Query(max_length=320)] = None,
) -> MemberPublic:
    return members.lookup_member(engine, external_id=external_id, email=email)


@router.get(
    "/{member_id}",
    response_model=MemberPublic,
    responses=problem_responses(401, 404),
    summary="Lire un profil (soi-même, coordinateur, service interne)",
)
def read_member(member_id: str, engine: EngineDep, principal: CurrentPrincipal) -> MemberPublic:
    allowed(principal, member_id, write=False)
    return members.get_member(engine, member_id)


@router.patch(
    "/{member_id}",
    response_model=MemberPublic,
    responses=problem_responses(400, 401, 403, 404, 409, 422),
    summary="Modifier une partie du profil",
)
def update_member(
    member_id: str,
    body: MemberUpdate,
    engine: EngineDep,
    request: Request,
    principal: CurrentPrincipal,
) -> MemberPublic:
    allowed(principal, member_id, write=True)
    settings = request.app.state.settings
    if principal.is_coordinator:
        member = members.update_member(engine, member_id, body, settings)
    else:  # a member on their own profile: the fields they own only
        member = own_profile.update_own_profile(engine, member_id, body, settings)
    outbox_changed(request)
    return member


@router.delete(
    "/{member_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 404, 409),
    summary="Effacer un membre (RGPD) : publie member.erased",
)
def erase_member(
    member_id: str, engine: EngineDep, request: Request, principal: CurrentPrincipal
) -> Response:
    allowed(principal, member_id, write=True)
    personal_data.erase_member(engine, member_id)
    outbox_changed(request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{member_id}/deactivation",
    response_model=MemberPublic,
    responses=problem_responses(401, 403, 404, 409, 422),
    summary="Désactiver un membre parti de l'entreprise (coordinateur) : member.deactivated",
    description="Le profil est conservé avec `left_on` ; le membre n'est plus mis en "
    "relation et quitte chaque tour publié dont il fait partie (réparé aussitôt si le "
    "tour a `auto_repair`). Sans effet sur un membre déjà parti.",
)
def deactivate_member(
    member_id: str, body: MemberDeactivation, engine: EngineDep, request: Request,
    _: Coordinator,
) -> MemberPublic:  # fmt: skip
    member = deactivation.deactivate_member(engine, member_id, body.left_on)
    outbox_changed(request)
    return member


@router.get(
    "/{member_id}/export",
    response_model=PersonalDataExport,
    responses=problem_responses(401, 404),
    summary="Toutes les données détenues sur un membre (RGPD)",
)
def export_personal_data(
    member_id: str, engine: EngineDep, principal: CurrentPrincipal
) -> PersonalDataExport:
    allowed(principal, member_id, write=True)
    return personal_data.export_personal_data(engine, member_id)
