"""CSV import for HR: validate every row, report each problem, store in one transaction.

Rows are matched to members by e-mail: a new e-mail creates a member
(``member.registered``), a known one updates the columns the file carries
(``member.profile_updated`` when a matching attribute changed). Modes:

* ``all_or_nothing``: any problem and nothing is stored;
* ``keep_valid``: the valid rows are stored, the others are reported.

Row numbers count CSV records with the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_events
from services.profiles.api.schemas import MemberCreate
from services.profiles.domain.csv_format import column_of, header_problems, parse_row
from services.profiles.domain.errors import FieldError, InvalidImport, MemberAlreadyExists
from services.profiles.domain.import_report import ImportOutcome, Mode, RowProblem
from services.profiles.domain.rules import normalise_profile, profile_problems
from services.profiles.service_layer.members import (
    apply_changes,
    merged,
    new_member_id,
    problems_of,
    registered_event,
)

MAX_ROWS = 50_000


@dataclass
class Line:
    number: int
    email: str
    fields: dict[str, Any]
    manager_email: str | None
    member_id: str = ""
    existing: repo.MemberRecord | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    clean: dict[str, Any] = field(default_factory=dict)
    problems: list[FieldError] = field(default_factory=list)


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidImport("csv_encoding")


def read_lines(text: str) -> tuple[list[str], list[Line], list[FieldError]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader, [])]
    if not header:
        raise InvalidImport("csv_empty")
    lines: list[Line] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(lines) >= MAX_ROWS:
            raise InvalidImport("csv_too_many_rows", max_rows=MAX_ROWS)
        fields, problems = parse_row(dict(zip(header, cells, strict=False)))
        if len(cells) > len(header):
            problems.append(FieldError("(ligne)", "csv.extra_cells"))
        email = str(fields.get("email") or "").lower()
        manager = fields.pop("manager_email", None)
        lines.append(Line(number, email, fields, manager, problems=problems))
    return header, lines, header_problems(header)


def import_members(engine: Engine, content: bytes, mode: Mode) -> ImportOutcome:
    try:
        header, lines, problems = read_lines(decode(content))
    except csv.Error as exc:
        raise InvalidImport("csv_unreadable", reason=str(exc)) from exc
    if problems:
        errors = [RowProblem(1, p) for p in problems]
        return _report(mode, lines, errors, committed=False, counts={})
    try:
        return _import(engine, header, lines, mode)
    except MemberAlreadyExists as exc:  # a concurrent change took one of the e-mails
        raise MemberAlreadyExists("import_member_created_concurrently") from exc


def _import(engine: Engine, header: list[str], lines: list[Line], mode: Mode) -> ImportOutcome:
    with engine.begin() as conn:
        existing = repo.load_by_emails(conn, {ln.email for ln in lines if ln.email})
        managers = {ln.manager_email.lower() for ln in lines if ln.manager_email}
        by_email = {e: r.id for e, r in repo.load_by_emails(conn, managers).items()}
        _assign_ids(lines, existing, by_email)
        catalogue = repo.catalogue(conn)
        for line in lines:
            _validate(line, by_email, catalogue, manager_column="manager_email" in header)
        _reject_orphans(lines)
        errors = [RowProblem(ln.number, p) for ln in lines for p in ln.problems]
        if errors and mode == "all_or_nothing":
            return _report(mode, lines, errors, committed=False, counts={})
        counts = _store(conn, [ln for ln in lines if not ln.problems])
    return _report(mode, lines, errors, committed=sum(counts.values()) > 0, counts=counts)


def _assign_ids(
    lines: list[Line], existing: dict[str, repo.MemberRecord], by_email: dict[str, str]
) -> None:
    seen: dict[str, int] = {}
    for line in lines:
        if line.email in seen:
            line.problems.append(
                FieldError("email", "csv.duplicate_email", {"row": seen[line.email]})
            )
            continue
        seen[line.email] = line.number
        line.existing = existing.get(line.email)
        line.member_id = line.existing.id if line.existing else new_member_id()
        given = line.fields.pop("id", None)
        if given and given != line.member_id:
            line.problems.append(FieldError("id", "csv.id_mismatch"))
        if line.email:
            by_email[line.email] = line.member_id


def _validate(
    line: Line, by_email: dict[str, str], catalogue: dict[str, str], manager_column: bool
) -> None:
    if not line.member_id:  # duplicate e-mail: already reported
        return
    changes = dict(line.fields)
    if manager_column:
        manager = (line.manager_email or "").lower()
        changes["manager_id"] = by_email.get(manager) if manager else None
        if manager and manager not in by_email:
            line.problems.append(
                FieldError("manager_email", "csv.unknown_manager_email", {"email": manager})
            )
    line.changes = changes
    data = merged(line.existing.data, changes) if line.existing else changes
    try:
        clean = MemberCreate.model_validate(normalise_profile(data)).model_dump(mode="json")
    except ValidationError as exc:
        _add(line, problems_of(exc))
        return
    _add(line, profile_problems(clean, catalogue, line.member_id))
    line.clean = clean


def _add(line: Line, problems: list[FieldError]) -> None:
    """Add problems, one per column: a cell that could not be read is reported once."""
    seen = {p.field for p in line.problems}
    for problem in problems:
        column = column_of(problem.field)
        if column not in seen:
            line.problems.append(FieldError(column, problem.code, problem.params))


def _reject_orphans(lines: list[Line]) -> None:
    """A row whose manager is a rejected new row of the same file is rejected too."""
    new_rows = {ln.member_id: ln for ln in lines if ln.existing is None and ln.member_id}
    changed = True
    while changed:
        changed = False
        for line in lines:
            manager = new_rows.get(line.clean.get("manager_id") or "")
            if not line.problems and manager is not None and manager.problems:
                line.problems.append(
                    FieldError("manager_email", "csv.manager_row_rejected", {"row": manager.number})
                )
                changed = True


def _store(conn: Connection, lines: list[Line]) -> dict[str, int]:
    now = datetime.now(UTC)
    new = [ln for ln in lines if ln.existing is None]
    repo.insert_members(conn, [(ln.member_id, ln.clean) for ln in new], now)
    add_events(conn, [registered_event(ln.member_id, ln.clean) for ln in new])
    counts = {"created": len(new), "updated": 0, "unchanged": 0}
    for line in lines:
        if line.existing is not None:
            counts[apply_changes(conn, line.existing, line.changes, now)] += 1
    return counts


def _report(
    mode: Mode, lines: list[Line], errors: list[RowProblem], committed: bool, counts: dict[str, int]
) -> ImportOutcome:
    return ImportOutcome(
        mode=mode,
        committed=committed,
        rows=len(lines),
        created=counts.get("created", 0),
        updated=counts.get("updated", 0),
        unchanged=counts.get("unchanged", 0),
        rejected=len({e.row for e in errors if e.row > 1}),
        errors=errors,
    )
