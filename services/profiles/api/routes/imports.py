"""CSV import for HR, with a per-row report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse

from services.profiles import importer
from services.profiles.api.deps import EngineDep, outbox_changed, responses
from services.profiles.schemas import ImportReport
from shared.web import Coordinator

router = APIRouter(prefix="/members", tags=["import"])


@router.post(
    "/import",
    response_model=ImportReport,
    responses=responses(401, 403, 409, 413),
    summary="Importer un fichier CSV (RH)",
    description=(
        "Colonnes : voir `services/profiles/domain/csv_format.py` (séparateur , ou ; ; "
        "listes séparées par |, compétences `code:niveau`). Mode `all_or_nothing` : la "
        "moindre erreur et rien n'est enregistré (422 avec le rapport). Mode `keep_valid` : "
        "les lignes valides sont enregistrées, les autres listées dans le rapport."
    ),
)
async def import_members(
    file: Annotated[UploadFile, File(description="Fichier CSV (UTF-8).")],
    engine: EngineDep,
    request: Request,
    _: Coordinator,
    mode: importer.Mode = "all_or_nothing",
) -> ImportReport | JSONResponse:
    content = await file.read()
    report = await _in_thread(engine, content, mode)
    if report.committed:
        outbox_changed(request)
    if report.errors and (mode == "all_or_nothing" or not report.committed):
        detail = [
            {"loc": ["body", "file", e.row, e.field], "msg": e.message, "type": "csv_row"}
            for e in report.errors[:1000]
        ]
        return JSONResponse(
            {"detail": detail, "report": report.model_dump(mode="json")}, status_code=422
        )
    return report


async def _in_thread(engine: EngineDep, content: bytes, mode: importer.Mode) -> ImportReport:
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(importer.import_members, engine, content, mode)
