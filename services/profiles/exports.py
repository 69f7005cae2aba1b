"""CSV and JSON exports of members for HR (same filters as the list)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Engine, select

from services.profiles.adapters import repository as repo
from services.profiles.adapters.orm import members
from services.profiles.domain.csv_format import COLUMNS, to_row
from services.profiles.schemas import MemberPublic
from services.profiles.service import to_public

EXPORT_LIMIT = 1_000_000


def export_json(engine: Engine, where: repo.MemberFilter) -> list[MemberPublic]:
    with engine.connect() as conn:
        rows, _ = repo.list_members(conn, where, 0, EXPORT_LIMIT)
    return [to_public(r) for r in rows]


def export_csv(engine: Engine, where: repo.MemberFilter) -> str:
    """The members as a CSV file that :mod:`importer` reads back unchanged."""
    with engine.connect() as conn:
        rows, _ = repo.list_members(conn, where, 0, EXPORT_LIMIT)
        manager_ids = {r.manager_id for r in rows if r.manager_id}
        ids = sorted(manager_ids)
        emails: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            query = select(members.c.id, members.c.email).where(members.c.id.in_(ids[i : i + 500]))
            emails.update((r.id, r.email) for r in conn.execute(query))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(to_row(row.id, row.data, emails.get(row.manager_id or "")))
    return out.getvalue()
