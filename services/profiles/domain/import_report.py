"""The outcome of a CSV import: counts and one coded problem per bad cell (plain data).

Problems carry message codes and parameters; the HTTP layer renders the report in the
caller's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shared.errors import FieldError

Mode = Literal["all_or_nothing", "keep_valid"]


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One problem of one row of the file (the header is row 1): a code, not a sentence."""

    row: int
    error: FieldError
    value: str = ""  # the cell as given, for the report


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What an import did; the HTTP layer renders it as the report, in the caller's language."""

    mode: Mode
    committed: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowProblem]

    @property
    def refused(self) -> bool:
        """Rows were wrong and nothing was stored: the request as a whole failed."""
        return bool(self.errors) and (self.mode == "all_or_nothing" or not self.committed)
