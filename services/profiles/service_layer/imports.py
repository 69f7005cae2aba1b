"""CSV import for HR: validate every row, report each problem, store in one transaction.

Rows are matched to members by e-mail: a new e-mail creates a member
(``member.registered``), a known one updates the columns the file carries
(``member.profile_updated`` when a matching attribute changed). A date in the
``left_on`` column then marks the member as having left (``member.deactivated``,
:func:`~services.profiles.service_layer.deactivation.deactivate_in`, as the API does);
a member who already left keeps its first date. Modes:

* ``all_or_nothing``: any problem and nothing is stored;
* ``keep_valid``: the valid rows are stored, the others are reported.

Row numbers count CSV records with the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from services.profiles.adapters import catalogue_repository as catalogues
from services.profiles.adapters import member_queries as queries
from services.profiles.adapters import organisation_repository as org
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_events
from services.profiles.api.schemas import MemberCreate
from services.profiles.domain.catalogue import Catalogue
from services.profiles.domain.csv_format import column_of, header_problems, parse_row
from services.profiles.domain.csv_reading import decode, delimiter_of
from services.profiles.domain.errors import FieldError, InvalidImport, MemberAlreadyExists
from services.profiles.domain.import_report import ImportOutcome, Mode, RowProblem
from services.profiles.domain.organisation import set_manager
from services.profiles.domain.rules import (
    catalogue_problems,
    normalise_profile,
    profile_problems,
    resolve_terms,
)
from services.profiles.service_layer import import_managers as managers
from services.profiles.service_layer import lines as org_lines
from services.profiles.service_layer.deactivation import deactivate_in
from services.profiles.service_layer.members import apply_changes, merged, problems_of
from services.profiles.service_layer.registration import new_member_id, registered_event
from services.profiles.service_layer.webhooks import webhook_problems
from shared.settings import Settings, get_settings

MAX_ROWS = 50_000


@dataclass
class Line:
    number: int
    email: str
    fields: dict[str, Any]
    manager_ref: str | None
    manager_name: str | None = None
    cells: dict[str, str] = field(default_factory=dict)
    left_on: date | None = None
    member_id: str = ""
    existing: repo.MemberRecord | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    clean: dict[str, Any] = field(default_factory=dict)
    problems: list[FieldError] = field(default_factory=list)


def read_lines(text: str) -> tuple[list[str], list[Line], list[FieldError]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if not header:
        raise InvalidImport("csv_empty")
    lines: list[Line] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(lines) >= MAX_ROWS:
            raise InvalidImport("csv_too_many_rows", max_rows=MAX_ROWS)
        given = dict(zip(header, cells, strict=False))
        fields, problems = parse_row(given)
        if len(cells) > len(header):
            problems.append(FieldError("(ligne)", "csv.extra_cells"))
        email = str(fields.get("email") or "").lower()
        by_key, by_email = fields.pop("manager", None), fields.pop("manager_email", None)
        name, left_on = fields.pop("manager_name", None), fields.pop("left_on", None)
        lines.append(
            Line(number, email, fields, by_key or by_email, name, given, left_on, problems=problems)
        )
    return header, lines, header_problems(header)


def import_members(
    engine: Engine, content: bytes, mode: Mode, settings: Settings | None = None
) -> ImportOutcome:
    try:
        header, lines, problems = read_lines(decode(content))
    except csv.Error as exc:
        raise InvalidImport("csv_unreadable", reason=str(exc)) from exc
    if problems:
        errors = [RowProblem(1, p) for p in problems]
        return _report(mode, lines, errors, committed=False, counts={})
    try:
        return _import(engine, header, lines, mode, settings or get_settings())
    except MemberAlreadyExists as exc:  # a concurrent change took one of the e-mails
        raise MemberAlreadyExists("import_member_created_concurrently") from exc


def _import(
    engine: Engine, header: list[str], lines: list[Line], mode: Mode, settings: Settings
) -> ImportOutcome:
    with engine.begin() as conn:
        existing = queries.load_by_emails(conn, {ln.email for ln in lines if ln.email})
        keys = {ln.fields["external_id"] for ln in lines if ln.fields.get("external_id")}
        by_key = queries.load_by_external_ids(conn, keys)
        refs = _assign_ids(lines, existing, by_key)
        column = managers.manager_column(header)
        outside = managers.resolve(conn, lines, refs, column) if column else {}
        skills, themes = catalogues.catalogue(conn, "skills"), catalogues.catalogue(conn, "themes")
        for line in lines:
            _validate(line, (skills, themes))
            _check_webhook(line, settings)
        _reject_orphans(lines, column or "manager")
        errors = [
            RowProblem(ln.number, p, ln.cells.get(p.field, "")) for ln in lines for p in ln.problems
        ]
        if errors and mode == "all_or_nothing":
            return _report(mode, lines, errors, committed=False, counts={})
        counts = _store(conn, [ln for ln in lines if not ln.problems], outside)
    return _report(mode, lines, errors, committed=sum(counts.values()) > 0, counts=counts)


def _assign_ids(
    lines: list[Line],
    existing: dict[str, repo.MemberRecord],
    by_key: dict[str, repo.MemberRecord],
) -> dict[str, str]:
    """Match each row to a member (by HR external id, else by e-mail); the file's keys."""
    seen: dict[str, int] = {}
    refs: dict[str, str] = {}
    for line in lines:
        key = line.fields.get("external_id")
        twin = seen.get(line.email) or (seen.get(f"key:{key}") if key else None)
        if twin:
            column = "email" if line.email in seen else "external_id"
            line.problems.append(FieldError(column, f"csv.duplicate_{column}", {"row": twin}))
            continue
        seen[line.email] = line.number
        line.existing = (by_key.get(key) if key else None) or existing.get(line.email)
        line.member_id = line.existing.id if line.existing else new_member_id()
        other = existing.get(line.email)
        if other is not None and other.id != line.member_id:
            line.problems.append(FieldError("email", "csv.email_of_another_member"))
        given = line.fields.pop("id", None)
        if given and given != line.member_id:
            line.problems.append(FieldError("id", "csv.id_mismatch"))
        refs.update({k: line.member_id for k in (line.email, key) if k})
        if key:
            seen[f"key:{key}"] = line.number
    return refs


def _validate(line: Line, names: tuple[Catalogue, Catalogue]) -> None:
    if not line.member_id:  # duplicate e-mail: already reported
        return
    changes = line.changes = dict(line.fields)
    data = merged(line.existing.data, changes) if line.existing else changes
    # set by the organisation and by a deactivation only; kept by apply_changes
    data = {k: v for k, v in data.items() if k not in ("management_line", "left_on")}
    data = resolve_terms(data, *names)
    try:
        clean = MemberCreate.model_validate(normalise_profile(data)).model_dump(mode="json")
    except ValidationError as exc:
        _add(line, problems_of(exc))
        _add(line, catalogue_problems(data, *names))  # named entries too, in the same report
        return
    del clean["manager"]
    _add(line, profile_problems(clean, names[0], line.member_id, names[1]))
    line.clean = clean


def _check_webhook(line: Line, settings: Settings) -> None:
    url = line.fields.get("chat_webhook_url")
    if url and (line.existing is None or url != line.existing.data.get("chat_webhook_url")):
        _add(line, webhook_problems(url, settings))


def _add(line: Line, problems: list[FieldError]) -> None:
    """Add problems, one per column: a cell that could not be read is reported once."""
    seen = {p.field for p in line.problems}
    for problem in problems:
        column = column_of(problem.field)
        if column not in seen:
            line.problems.append(FieldError(column, problem.code, problem.params))


def _reject_orphans(lines: list[Line], column: str) -> None:
    """A row whose manager is a rejected new row of the same file is rejected too."""
    new_rows = {ln.member_id: ln for ln in lines if ln.existing is None and ln.member_id}
    changed = True
    while changed:
        changed = False
        for line in lines:
            manager = new_rows.get(line.clean.get("manager_id") or "")
            if not line.problems and manager is not None and manager.problems:
                line.problems.append(
                    FieldError(column, "csv.manager_row_rejected", {"row": manager.number})
                )
                changed = True


def _store(
    conn: Connection, lines: list[Line], outside: dict[str, org.ManagerRecord]
) -> dict[str, int]:
    """Store outside managers, new and changed members and departures; republish lines."""
    now = datetime.now(UTC)
    org.save_managers(conn, outside.values(), (), now)
    graph = org_lines.graph_of(conn)
    for line in lines:
        set_manager(graph, line.member_id, line.clean.get("manager_id"))
    new = [ln for ln in lines if ln.existing is None]
    for line in new:
        line.clean = org_lines.with_line(graph, line.member_id, line.clean)
    repo.insert_members(conn, [(ln.member_id, ln.clean) for ln in new], now)
    add_events(conn, [registered_event(ln.member_id, ln.clean) for ln in new])
    counts = {"created": len(new), "updated": 0, "unchanged": 0}
    for line in lines:
        outcome = "created"
        if line.existing is not None:
            outcome = apply_changes(conn, line.existing, line.changes, now, graph)
        if line.left_on is not None:  # after the row's own changes: the last version says so
            deactivate_in(conn, line.member_id, line.left_on, now)
            if line.existing is not None and not line.existing.data.get("left_on"):
                outcome = "updated"
        if line.existing is not None:
            counts[outcome] += 1
    org_lines.republish_below(conn, graph, [ln.member_id for ln in lines], now)
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
