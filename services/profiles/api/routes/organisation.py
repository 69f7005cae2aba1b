"""The organisation HR imports: managers who are not members, and teams."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from services.profiles.api.deps import EngineDep, Paging, outbox_changed
from services.profiles.api.schemas import OrganisationReport, OutsideManager, Team
from services.profiles.service_layer import organisation
from shared.pagination import Page
from shared.problems import problem_responses
from shared.web import Coordinator

router = APIRouter(prefix="/organisation", tags=["organisation"])


@router.post(
    "/import",
    response_model=OrganisationReport,
    responses=problem_responses(400, 401, 403, 409, 413, 422),
    summary="Importer l'organigramme (managers hors réseau, équipes)",
    description=(
        "CSV aux colonnes `key,name,email,manager,team` (et `team_name` facultative) : "
        "une ligne par manager qui n'est pas membre. `manager` désigne son propre manager "
        "(clé du fichier, identifiant RH ou adresse). Tout ou rien ; les membres dont la "
        "ligne hiérarchique change sont republiés."
    ),
)
async def import_organisation(
    file: Annotated[UploadFile, File(description="Fichier CSV (UTF-8).")],
    engine: EngineDep,
    request: Request,
    _: Coordinator,
) -> OrganisationReport:
    done = await run_in_threadpool(organisation.import_organisation, engine, await file.read())
    if done.republished:
        outbox_changed(request)
    return OrganisationReport(
        rows=done.rows,
        managers_created=done.created,
        managers_updated=done.updated,
        teams=done.teams,
        members_republished=done.republished,
        errors=[],
    )


@router.get(
    "/managers",
    response_model=Page[OutsideManager],
    responses=problem_responses(401, 403, 422),
    summary="Managers hors réseau (pagination limit/offset)",
)
def list_managers(engine: EngineDep, _: Coordinator, page: Paging) -> Page[OutsideManager]:
    return organisation.list_managers(engine, page)


@router.get(
    "/teams",
    response_model=list[Team],
    responses=problem_responses(401, 403),
    summary="Équipes",
)
def list_teams(engine: EngineDep, _: Coordinator) -> list[Team]:
    return organisation.list_teams(engine)
