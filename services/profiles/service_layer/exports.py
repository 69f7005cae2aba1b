"""CSV and JSON exports of members for HR (same filters as the list)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Connection, Engine

from services.profiles.adapters import member_queries as queries
from services.profiles.api.schemas import MemberPublic
from services.profiles.domain.csv_format import COLUMNS, to_row
from services.profiles.domain.organisation import is_outside
from services.profiles.service_layer.members import to_public
from shared.safety import spreadsheet_safe

EXPORT_LIMIT = 1_000_000


def export_json(engine: Engine, where: queries.MemberFilter) -> list[MemberPublic]:
    with engine.connect() as conn:
        rows, _ = queries.list_members(conn, where, 0, EXPORT_LIMIT)
    return [to_public(r) for r in rows]


def export_csv(engine: Engine, where: queries.MemberFilter) -> str:
    """The members as a CSV file that the import reads back unchanged."""
    with engine.connect() as conn:
        rows, _ = queries.list_members(conn, where, 0, EXPORT_LIMIT)
        names = manager_names(conn, {r.manager_id for r in rows if r.manager_id})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        email, key = names.get(row.manager_id or "", (None, None))
        cells = to_row(row.id, row.data, email, key)
        writer.writerow({c: spreadsheet_safe(v) for c, v in cells.items()})
    return out.getvalue()


def manager_names(conn: Connection, nodes: set[str]) -> dict[str, tuple[str | None, str | None]]:
    """How HR names each manager node: (member's e-mail or None, HR key for ``manager``)."""
    found = queries.hr_keys_of(conn, {n for n in nodes if not is_outside(n)})
    names: dict[str, tuple[str | None, str | None]] = {
        n: (email, key or email) for n, (email, key) in found.items()
    }
    names.update({n: (None, n.removeprefix("mgr:")) for n in nodes if is_outside(n)})
    return names
