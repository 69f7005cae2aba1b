"""CSV and JSON exports of members for HR (same filters as the list)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Engine

from services.profiles.adapters import repository as repo
from services.profiles.api.schemas import MemberPublic
from services.profiles.domain.csv_format import COLUMNS, to_row
from services.profiles.service_layer.members import to_public

EXPORT_LIMIT = 1_000_000


def export_json(engine: Engine, where: repo.MemberFilter) -> list[MemberPublic]:
    with engine.connect() as conn:
        rows, _ = repo.list_members(conn, where, 0, EXPORT_LIMIT)
    return [to_public(r) for r in rows]


def export_csv(engine: Engine, where: repo.MemberFilter) -> str:
    """The members as a CSV file that the import reads back unchanged."""
    with engine.connect() as conn:
        rows, _ = repo.list_members(conn, where, 0, EXPORT_LIMIT)
        emails = repo.emails_of(conn, {r.manager_id for r in rows if r.manager_id})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(to_row(row.id, row.data, emails.get(row.manager_id or "")))
    return out.getvalue()
