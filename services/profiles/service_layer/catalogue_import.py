"""Bulk creation and update of a catalogue from HR's CSV file, all or nothing.

Each row names an entry by its ``code``, or, when the code is blank, by its label
(any name the catalogue resolves); a known entry is updated with the cells given, an
unknown one is created. Every problem of every row is reported; one problem and
nothing is stored. Near-duplicates are checked against the catalogue and the rows
above, unless ``force``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from services.profiles.adapters import catalogue_repository as repo
from services.profiles.domain.catalogue import Catalogue as Names
from services.profiles.domain.catalogue import Entry
from services.profiles.domain.catalogue_csv import COLUMNS, SKILL_COLUMNS, entry_cells
from services.profiles.domain.catalogue_csv import header_problems as catalogue_header_problems
from services.profiles.domain.csv_reading import decode, records
from services.profiles.domain.errors import FieldError, NearDuplicate, ProfilesError
from services.profiles.domain.import_report import RowProblem
from services.profiles.service_layer.catalogue import Catalogue, refuse_near_duplicate
from services.profiles.service_layer.members import problems_of


@dataclass
class CatalogueOutcome:
    committed: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)


@dataclass
class Planned:
    code: str
    values: dict[str, Any]
    new: bool


def import_entries(
    engine: Engine, catalogue: Catalogue[Any], content: bytes, force: bool
) -> CatalogueOutcome:
    """Validate every row, then store them all in one transaction (or none)."""
    header, rows = records(decode(content))
    accepted = SKILL_COLUMNS if catalogue.which == "skills" else COLUMNS
    problems = catalogue_header_problems(header, accepted)
    if problems:
        return CatalogueOutcome(False, len(rows), errors=[RowProblem(1, p) for p in problems])
    with engine.begin() as conn:
        known = repo.catalogue(conn, catalogue.which)
        plans: list[Planned] = []
        errors: list[RowProblem] = []
        seen: dict[str, int] = {}
        for number, cells in rows:
            given = entry_cells(header, cells)
            plan, row_problems = _plan(catalogue, known, given, force, seen.get(_key(given, known)))
            errors += [RowProblem(number, p, _shown(given.get(p.field))) for p in row_problems]
            if plan is not None:
                seen.setdefault(plan.code, number)
                plans.append(plan)
        if errors:
            return CatalogueOutcome(False, len(rows), errors=errors)
        outcome = _store(conn, catalogue, plans)
    return outcome


def _key(given: dict[str, Any], known: Names) -> str:
    return str(given.get("code") or known.resolve(str(given.get("label", ""))) or "")


def _shown(value: Any) -> str:
    return "|".join(value) if isinstance(value, list) else str(value or "")


def _plan(
    catalogue: Catalogue[Any], known: Names, given: dict[str, Any], force: bool, row: int | None
) -> tuple[Planned | None, list[FieldError]]:
    """What a row will do, or its problems (every one of them)."""
    if row is not None:
        return None, [FieldError("code", "csv.duplicate_entry", {"row": row})]
    code = _key(given, known)
    current = known.entry(code) if code else None
    try:
        if current is None:
            model = catalogue.create_model.model_validate(given)
            values = catalogue.new_values(model.model_dump())
        else:
            model = catalogue.update_model.model_validate(
                {k: v for k, v in given.items() if k != "code"}
            )
            values = {"code": code, **model.model_dump(exclude_none=True)}
        merged = {**_values_of(current), **values}
        if not force:
            refuse_near_duplicate(known, merged, ignore=current.code if current else None)
    except ValidationError as exc:
        return None, [FieldError(p.field.split(".")[0], p.code, p.params) for p in problems_of(exc)]
    except NearDuplicate as exc:
        return None, [FieldError("label", "csv.near_duplicate", exc.params)]
    except ProfilesError as exc:
        return None, list(exc.field_errors)
    label_en, aliases = merged.get("label_en") or "", tuple(merged["aliases"])
    known.add(Entry(merged["code"], merged["label"], label_en, aliases))
    return Planned(merged["code"], values, current is None), []


def _values_of(entry: Entry | None) -> dict[str, Any]:
    if entry is None:
        return {}
    return {
        "code": entry.code,
        "label": entry.label,
        "label_en": entry.label_en,
        "aliases": list(entry.aliases),
    }


def _store(conn: Connection, catalogue: Catalogue[Any], plans: list[Planned]) -> CatalogueOutcome:
    now = datetime.now(UTC)
    outcome = CatalogueOutcome(True, len(plans))
    current = {e["code"]: e for e in repo.entries(conn, catalogue.which, [p.code for p in plans])}
    for plan in plans:
        if plan.new:
            catalogue.insert(conn, plan.values, force=True, now=now)
            outcome.created += 1
        elif all(current[plan.code].get(k) == v for k, v in plan.values.items()):
            outcome.unchanged += 1
        else:
            catalogue.change(conn, plan.code, plan.values, force=True, now=now)
            outcome.updated += 1
    outcome.committed = outcome.created + outcome.updated > 0
    return outcome
