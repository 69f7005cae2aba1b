"""Use cases on the organisation: outside managers and teams, imported by HR.

The organisation CSV has the columns ``key,name,email,manager,team`` (and optionally
``team_name``): one row per manager who is not a member. ``manager`` names that
manager's own manager (an HR key of the same file, or a member or outside manager
by HR id or e-mail). All or nothing: one bad row and nothing is stored. Members
whose management line the file changes get a ``member.profile_updated`` each.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from services.profiles.adapters import member_queries as queries
from services.profiles.adapters import organisation_repository as org
from services.profiles.api.schemas import HR_KEY_PATTERN, OutsideManager, Team
from services.profiles.domain.csv_reading import decode
from services.profiles.domain.errors import FieldError, InvalidImport, InvalidOrganisation
from services.profiles.domain.organisation import outside_node
from services.profiles.service_layer import lines
from shared.pagination import Page, PageRequest

COLUMNS = ("key", "name", "email", "manager", "team", "team_name")
REQUIRED = ("key", "name")


@dataclass(frozen=True, slots=True)
class OrganisationOutcome:
    rows: int
    created: int
    updated: int
    teams: int
    republished: int


def read_rows(content: bytes) -> list[dict[str, str]]:
    """The file's rows as ``column -> stripped cell``; InvalidImport for a bad header."""
    text = decode(content)
    delimiter = (
        ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    )
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in header]
    if unknown or missing:
        problems = [
            FieldError(h, "csv.unknown_column", {"columns": ", ".join(COLUMNS)}) for h in unknown
        ]
        problems += [FieldError(c, "csv.missing_column") for c in missing]
        raise InvalidImport(field_errors=problems)
    reader.fieldnames = header
    return [
        {k: (v or "").strip() for k, v in row.items() if k in COLUMNS}
        for row in reader
        if any((v or "").strip() for v in row.values() if isinstance(v, str))
    ]


def import_organisation(engine: Engine, content: bytes) -> OrganisationOutcome:
    """Store the outside managers and teams of the file; republish the lines it moved."""
    rows = read_rows(content)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        known = org.managers(conn)
        records = _records(conn, rows)
        org.save_managers(conn, records, known, now)
        teams = {r["team"]: r.get("team_name") or None for r in rows if r.get("team")}
        org.save_teams(conn, teams)
        moved = [
            outside_node(r.key)
            for r in records
            if r.key not in known or known[r.key].manager != r.manager
        ]
        republished = lines.republish_below(conn, lines.graph_of(conn), moved, now)
    created = sum(1 for r in records if r.key not in known)
    return OrganisationOutcome(len(rows), created, len(records) - created, len(teams), republished)


def _records(conn: Connection, rows: list[dict[str, str]]) -> list[org.ManagerRecord]:
    """The managers of the file, every row checked; InvalidOrganisation lists every problem."""
    problems: list[FieldError] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        key = row.get("key", "")
        if not re.fullmatch(HR_KEY_PATTERN, key):
            problems.append(FieldError(f"file.{number}.key", "org.missing_key"))
        elif key in seen:
            problems.append(
                FieldError(f"file.{number}.key", "org.duplicate_key", {"row": seen[key]})
            )
        elif queries.find_member_id(conn, key) is not None:
            problems.append(FieldError(f"file.{number}.key", "org.key_of_a_member", {"key": key}))
        seen.setdefault(key, number)
        if not row.get("name"):
            problems.append(FieldError(f"file.{number}.name", "org.missing_name"))
    records = []
    for number, row in enumerate(rows, start=2):
        ref = row.get("manager") or ""
        node = (
            outside_node(ref)
            if ref in seen
            else (lines.resolve_manager(conn, ref) if ref else None)
        )
        if ref and node is None:
            problems.append(
                FieldError(f"file.{number}.manager", "csv.unknown_manager", {"manager": ref})
            )
        email = (row.get("email") or "").lower() or None
        team = row.get("team") or None
        records.append(
            org.ManagerRecord(row.get("key", ""), row.get("name", "")[:200], email, node, team)
        )
    if problems:
        raise InvalidOrganisation(field_errors=problems, n=len(problems))
    return records


def list_managers(engine: Engine, page: PageRequest) -> Page[OutsideManager]:
    with engine.connect() as conn:
        found, total = org.manager_page(conn, page.offset, page.limit)
    items = [
        OutsideManager(key=r.key, name=r.name, email=r.email, manager=r.manager, team=r.team)
        for r in found
    ]
    return Page[OutsideManager].of(items, total, page)


def list_teams(engine: Engine) -> list[Team]:
    with engine.connect() as conn:
        return [Team(code=code, name=name) for code, name in org.teams(conn)]
