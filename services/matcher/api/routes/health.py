"""The network's health over HTTP (coordinators): JSON, a spreadsheet-safe CSV, the network."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.matcher.api.deps import Coordinator, Uow
from services.matcher.api.schemas_health import HealthPublic, NetworkPublic
from services.matcher.service_layer import health
from services.matcher.service_layer.health_views import (
    health_report,
    health_view,
    network_view,
    period,
)
from shared.problems import problem_responses
from shared.safety import spreadsheet_safe

router = APIRouter(tags=["health"])
From = Annotated[date | None, Query(alias="from", description="First day (default: 6 months).")]
To = Annotated[
    date | None, Query(alias="to", description="Last day, included (default: today, UTC).")
]
Site = Annotated[str | None, Query(max_length=200, description="Only this site's rows.")]
Function = Annotated[str | None, Query(max_length=200, description="Only this function's rows.")]
CSV_COLUMNS = [
    "month", "dimension", "value", "members", "active", "accepted", "declined",
    "unanswered", "acceptance_rate", "pairs_met", "sessions", "satisfaction_mean",
    "satisfaction_count", "newcomers", "newcomers_mentored", "mean_quality", "quality_gap",
]  # fmt: skip


@router.get("/health", responses=problem_responses(401, 403, 422))
def read_health(
    uow: Uow, _: Coordinator, start: From = None, end: To = None,
    site: Site = None, function: Function = None,
) -> HealthPublic:  # fmt: skip
    """Per month, for everyone, each site and each function: activity, acceptance,
    meetings, satisfaction, newcomers mentored, match quality and its gap (fairness).

    Served at once: after new facts, the last complete report with its ``as_of`` time and
    ``refreshing`` true while the newer one is computed in the background."""
    kept = health_view(uow, *period(start, end))
    return HealthPublic.model_validate(health.select(kept.value, site, function)).fresh(kept)


@router.get("/health.csv", responses=problem_responses(401, 403, 422))
def export_health(
    uow: Uow, _: Coordinator, start: From = None, end: To = None,
    site: Site = None, function: Function = None,
) -> Response:  # fmt: skip
    """The monthly rows of ``GET /health`` as CSV (cells a spreadsheet never runs), from
    the projection as it is now (a file has no place to say "as of")."""
    first, last = period(start, end)
    report = health.select(health_report(uow, first, last, False), site, function)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in report.months:
        row = [getattr(r, c, None) for c in CSV_COLUMNS]
        row[1:3] = [r.segment.dimension, r.segment.value]
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
    name = f"sante-{first.isoformat()}-{last.isoformat()}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/health/network", responses=problem_responses(401, 403, 422))
def read_network(uow: Uow, _: Coordinator, end: To = None) -> NetworkPublic:
    """Who met whom over the 12 months up to ``to``: isolated members, the largest
    connected part, links between sites, site centrality and the members who bridge sites.
    Served at once, like ``GET /health`` (``as_of``, ``refreshing``)."""
    kept = network_view(uow, period(None, end)[1])
    return NetworkPublic.of(kept.value).fresh(kept)
