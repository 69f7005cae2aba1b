"""Matches over HTTP: a round's proposal (coordinators), its export, the caller's own."""

from __future__ import annotations

import csv
import io
import json
from typing import Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from services.matcher.api.deps import Coordinator, CurrentPrincipal, Labels, Lang, Uow
from services.matcher.api.schemas import MatchPublic, TablePublic, shown
from services.matcher.service_layer import rounds
from shared.pagination import Page, Paging
from shared.problems import problem_responses

router = APIRouter(tags=["matches"])
CSV_COLUMNS = ["match_id", "kind", "members", "locked", "score", "details"]


@router.get("/rounds/{round_id}/matches", responses=problem_responses(401, 403, 404, 422))
def read_matches(
    round_id: str, uow: Uow, _: Coordinator, paging: Paging, lang: Lang, label: Labels
) -> Page[MatchPublic]:
    """The matches of the proposal, each with its explanation in the caller's language."""
    found, total = rounds.list_matches(uow, round_id, paging)
    return Page.of([MatchPublic.of(m, lang, label) for m in found], total, paging)


@router.get("/rounds/{round_id}/tables", responses=problem_responses(401, 403, 404, 422))
def read_tables(
    round_id: str, uow: Uow, _: Coordinator, paging: Paging,
    seminar_round: int | None = Query(None, ge=0, le=1000, description="One rotation (0-based)."),
) -> Page[TablePublic]:  # fmt: skip
    """A seminar round's seating plan, a page of tables at a time (``limit`` tables, in
    rotation then table order), each with who sits there; empty for other kinds."""
    found, total = rounds.list_tables(uow, round_id, seminar_round, paging)
    return Page.of([TablePublic.of(t) for t in found], total, paging)


@router.get("/me/matches", responses=problem_responses(401, 422))
def my_matches(
    uow: Uow, me: CurrentPrincipal, paging: Paging, lang: Lang, label: Labels
) -> Page[MatchPublic]:
    """The caller's own published matches (never anyone else's)."""
    found, total = rounds.member_matches(uow, me.subject, paging)
    return Page.of([MatchPublic.of(m, lang, label) for m in found], total, paging)


@router.get("/rounds/{round_id}/export", responses=problem_responses(401, 403, 404))
def export_round(
    round_id: str, uow: Uow, _: Coordinator, format: Literal["json", "csv"] = "json"
) -> Response:
    """Every match of the round as a JSON or CSV file."""
    found, _total = rounds.list_matches(uow, round_id)
    records = [
        {"id": m.id, "round_id": m.round_id, "kind": m.kind,
         "members": [x if isinstance(x, str) else x.model_dump() for x in shown(m.members)],
         "data": m.data, "locked": m.locked}
        for m in found
    ]  # fmt: skip
    if format == "json":
        return JSONResponse(records)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for m in records:
        score = (m["data"].get("explanation") or {}).get("score", "")  # type: ignore[attr-defined]
        details = json.dumps(m["data"], ensure_ascii=False)
        names = " ".join(x if isinstance(x, str) else "(erased)" for x in m["members"])  # type: ignore[attr-defined]
        writer.writerow([m["id"], m["kind"], names, m["locked"], score, details])
    headers = {"Content-Disposition": f'attachment; filename="round-{round_id}.csv"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
