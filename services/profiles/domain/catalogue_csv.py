"""CSV files of catalogue entries, as plain data.

A catalogue file has the columns ``code,label,label_en,aliases`` (and ``kind`` for
skills); aliases are separated by ``|``. A blank ``code`` means "the entry this label
names, or a new one".
"""

from __future__ import annotations

from typing import Any

from shared.errors import FieldError

COLUMNS = ("code", "label", "label_en", "aliases")
SKILL_COLUMNS = (*COLUMNS, "kind")


def header_problems(header: list[str], accepted: tuple[str, ...]) -> list[FieldError]:
    """Unknown, missing (``label``) or repeated columns of a catalogue file."""
    params = {"columns": ", ".join(accepted)}
    problems = [
        FieldError(c or "(vide)", "csv.unknown_column", params) for c in header if c not in accepted
    ]
    if "label" not in header and "code" not in header:
        problems.append(FieldError("label", "csv.missing_column"))
    problems += [
        FieldError(c, "csv.duplicate_column") for i, c in enumerate(header) if c in header[:i]
    ]
    return problems


def entry_cells(header: list[str], cells: list[str]) -> dict[str, Any]:
    """The values a row gives (blank cells left out; aliases as a list).

    >>> entry_cells(["code", "label", "aliases"], ["", "Budget", "budgets | frais"])
    {'label': 'Budget', 'aliases': ['budgets', 'frais']}
    """
    out: dict[str, Any] = {}
    for column, raw in zip(header, cells, strict=False):
        text = raw.strip()
        if not text:
            continue
        out[column] = (
            [a.strip() for a in text.split("|") if a.strip()] if column == "aliases" else text
        )
    return out
