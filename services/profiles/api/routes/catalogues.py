"""The skills and themes catalogues: everyone reads them, coordinators (HR) manage them.

Both catalogues have the same routes; :func:`catalogue_router` builds them for one.
(No ``from __future__ import annotations`` here: FastAPI reads the annotations of the
routes built inside the function, which name its arguments.)
"""

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from services.profiles.api.catalogue_schemas import (
    CatalogueImportReport,
    CatalogueRowError,
    Skill,
    SkillCreate,
    SkillUpdate,
    Theme,
    ThemeCreate,
    ThemeUpdate,
)
from services.profiles.api.deps import CallerLanguage, EngineDep, Paging
from services.profiles.domain.errors import CatalogueImportRefused
from services.profiles.service_layer import catalogue
from services.profiles.service_layer.catalogue_import import CatalogueOutcome, import_entries
from shared.pagination import Page
from shared.problems import problem_responses
from shared.vocabulary import Language, translate
from shared.web import Coordinator, CurrentPrincipal

Force = Annotated[
    bool,
    Query(description="Enregistrer malgré un quasi-doublon (accents, articles, espaces)."),
]


def catalogue_router(
    service: catalogue.Catalogue[Any],
    create: type[BaseModel],
    patch: type[BaseModel],
    noun: str,
) -> APIRouter:
    """``/<catalogue>``: list, read, create, patch, delete if unused, import a CSV."""
    public = service.public
    router = APIRouter(prefix=f"/{service.which}", tags=[service.which])

    @router.get(
        "",
        response_model=Page[public],  # type: ignore[valid-type]
        responses=problem_responses(401, 422),
        summary="Catalogue (pagination limit/offset)",
    )
    def list_entries(engine: EngineDep, _: CurrentPrincipal, page: Paging) -> Any:
        return service.list(engine, page)

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        response_model=public,
        responses=problem_responses(400, 401, 403, 409, 422),
        summary=f"Ajouter {noun} (RH)",
    )
    def create_entry(
        body: create,  # type: ignore[valid-type]
        engine: EngineDep,
        _: Coordinator,
        force: Force = False,
    ) -> Any:
        return service.create(engine, body, force)

    @router.post(
        "/import",
        response_model=CatalogueImportReport,
        responses=problem_responses(400, 401, 403, 422),
        summary="Créer ou modifier en masse depuis un CSV (RH)",
        description="Colonnes `code,label,label_en,aliases` (+ `kind` pour les "
        "compétences), alias séparés par `|`, code vide = l'entrée que nomme le "
        "libellé ou une nouvelle. Tout ou rien : 422 avec le rapport (`report`).",
    )
    async def import_csv(
        file: Annotated[UploadFile, File(description="Fichier CSV.")],
        engine: EngineDep,
        language: CallerLanguage,
        _: Coordinator,
        force: Force = False,
    ) -> CatalogueImportReport:
        content = await file.read()
        outcome = await run_in_threadpool(import_entries, engine, service, content, force)
        report = rendered(outcome, language)
        if outcome.errors:
            raise CatalogueImportRefused(
                extensions={"report": report.model_dump(mode="json")}, n=len(outcome.errors)
            )
        return report

    @router.get(
        "/{code}", response_model=public, responses=problem_responses(401, 404), summary="Lire"
    )
    def read_entry(code: str, engine: EngineDep, _: CurrentPrincipal) -> Any:
        return service.get(engine, code)

    @router.patch(
        "/{code}",
        response_model=public,
        responses=problem_responses(400, 401, 403, 404, 409, 422),
        summary=f"Renommer {noun}, changer ses alias (RH)",
    )
    def update_entry(
        code: str,
        body: patch,  # type: ignore[valid-type]
        engine: EngineDep,
        _: Coordinator,
        force: Force = False,
    ) -> Any:
        return service.update(engine, code, body, force)

    @router.delete(
        "/{code}",
        status_code=status.HTTP_204_NO_CONTENT,
        responses=problem_responses(401, 403, 404, 409),
        summary=f"Supprimer {noun} que personne ne cite (RH)",
    )
    def delete_entry(code: str, engine: EngineDep, _: Coordinator) -> Response:
        service.delete(engine, code)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    return router


def rendered(outcome: CatalogueOutcome, language: Language) -> CatalogueImportReport:
    """The import report with each problem's message in ``language``."""
    errors = [
        CatalogueRowError(
            row=p.row,
            field=p.error.field,
            value=p.value,
            code=p.error.code,
            message=translate(p.error.code, language, **p.error.params),
        )
        for p in outcome.errors
    ]
    return CatalogueImportReport(
        committed=outcome.committed,
        rows=outcome.rows,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        errors=errors,
    )


skills_router = catalogue_router(catalogue.skills, SkillCreate, SkillUpdate, "une compétence")
themes_router = catalogue_router(catalogue.themes, ThemeCreate, ThemeUpdate, "un thème")
_ = (Skill, Theme)
