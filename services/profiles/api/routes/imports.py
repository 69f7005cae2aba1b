"""CSV import for HR, with a per-row report in the caller's language."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from services.profiles.api.deps import CallerLanguage, EngineDep, outbox_changed
from services.profiles.api.schemas import ColumnDoc, ImportReport, RowError
from services.profiles.domain.csv_columns import BY_NAME, COLUMNS_DOC
from services.profiles.domain.csv_format import COLUMNS
from services.profiles.domain.errors import FieldError, ImportRefused
from services.profiles.domain.import_report import ImportOutcome, Mode
from services.profiles.service_layer import imports
from shared.problems import problem_responses
from shared.vocabulary import Language, translate
from shared.web import Coordinator

router = APIRouter(prefix="/members", tags=["import"])
MAX_FIELD_ERRORS = 1000


@router.post(
    "/import",
    response_model=ImportReport,
    responses=problem_responses(400, 401, 403, 409, 422),
    summary="Importer un fichier CSV (RH)",
    description=(
        "Colonnes : `GET /members/import/columns`, modèle : `GET /members/import/template` "
        "(séparateur , ou ; ; listes séparées par |, compétences `code:niveau`). "
        "Mode `all_or_nothing` : la moindre erreur et rien n'est enregistré "
        "(422 avec le rapport, membre `report`). "
        "Mode `keep_valid` : les lignes valides sont enregistrées, les autres listées dans "
        "le rapport."
    ),
)
async def import_members(
    file: Annotated[UploadFile, File(description="Fichier CSV (UTF-8).")],
    engine: EngineDep,
    request: Request,
    language: CallerLanguage,
    _: Coordinator,
    mode: Mode = "all_or_nothing",
) -> ImportReport:
    outcome = await run_in_threadpool(
        imports.import_members, engine, await file.read(), mode, request.app.state.settings
    )
    if outcome.committed:
        outbox_changed(request)
    report = rendered(outcome, language)
    if outcome.refused:
        raise ImportRefused(
            field_errors=[
                FieldError(f"file.{p.row}.{p.error.field}", p.error.code, p.error.params)
                for p in outcome.errors[:MAX_FIELD_ERRORS]
            ],
            extensions={"report": report.model_dump(mode="json")},
            n=len(outcome.errors),
        )
    return report


@router.get(
    "/import/columns",
    response_model=list[ColumnDoc],
    responses=problem_responses(401, 403),
    summary="Colonnes du fichier CSV des membres (RH)",
)
def import_columns(language: CallerLanguage, _: Coordinator) -> list[ColumnDoc]:
    return [
        ColumnDoc(
            name=c.name,
            required=c.required,
            owner=c.owner,
            format=c.format,
            example=c.example,
            description=translate(c.description_code, language),
        )
        for c in COLUMNS_DOC
    ]


@router.get(
    "/import/template",
    responses={**problem_responses(401, 403), 200: {"content": {"text/csv": {}}}},
    summary="Modèle de fichier CSV : l'en-tête et une ligne d'exemple (RH)",
)
def import_template(_: Coordinator) -> Response:
    columns = [c for c in COLUMNS_DOC if c.name in COLUMNS and c.name != "id"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerows([[c.name for c in columns], [c.example for c in columns]])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="modele-membres.csv"'},
    )


def rendered(outcome: ImportOutcome, language: Language) -> ImportReport:
    """The import report with each problem's message in ``language``."""
    errors = [
        RowError(
            row=p.row,
            field=p.error.field,
            value=p.value,
            code=p.error.code,
            message=translate(p.error.code, language, **p.error.params),
            expected=expected(p.error.field, language),
            closest=[c for c in str(p.error.params.get("closest", "")).split(", ") if c],
        )
        for p in outcome.errors
    ]
    return ImportReport(
        mode=outcome.mode,
        committed=outcome.committed,
        rows=outcome.rows,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        rejected=outcome.rejected,
        errors=errors,
    )


def expected(column: str, language: Language) -> str:
    """What a column takes, in words (empty for a column the file should not have)."""
    doc = BY_NAME.get(column)
    return translate("csv.expected", language, format=doc.format) if doc else ""
