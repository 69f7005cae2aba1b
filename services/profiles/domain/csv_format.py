"""The CSV format of member files (import and export), over plain data.

One row per member; lists are separated by ``|``; skills are ``code:level`` items
(``gestion_agenda:3|gestion_stress:2``); yes/no cells accept oui/non, vrai/faux,
true/false, yes/no, 1/0 and x; dates are ``AAAA-MM-JJ`` or ``JJ/MM/AAAA``. The
manager is named by e-mail (HR exports do not know our ids). Only the columns present
in a file are taken into account, so HR can update a few columns of existing members.
A date in ``left_on`` marks the member as having left the company on that day (the
import resolves it, as for the manager, through the same service function as the API).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from shared.errors import FieldError
from shared.safety import FORMULA_STARTS

COLUMNS: tuple[str, ...] = (
    "id",
    "external_id",
    "display_name",
    "email",
    "preferred_language",
    "site",
    "department",
    "function",
    "manager_email",
    "manager",
    "manager_name",
    "team",
    "start_date",
    "languages",
    "skills",
    "skills_wanted",
    "themes",
    "availability_frequency",
    "availability_mode",
    "mentor",
    "mentor_capacity",
    "mentee",
    "groups",
    "seminars",
    "facilitator",
    "paused_until",
    "left_on",
    "notification_channels",
    "chat_webhook_url",
)
REQUIRED = ("email",)
LISTS = ("languages", "skills_wanted", "themes", "notification_channels")
FLAGS = ("mentor", "mentee", "groups", "seminars", "facilitator")
DATES = ("start_date", "paused_until", "left_on")
PLAIN = ("display_name", "email", "preferred_language", "site", "department", "function")
OPTIONAL_TEXT = ("chat_webhook_url", "external_id", "team")
#: Columns the import resolves itself (manager references), kept as cell text.
REFERENCES = ("manager_email", "manager", "manager_name", "id")
#: Columns whose blank cell means "the default" (new row) or "unchanged" (known member).
DEFAULTED = ("preferred_language", "languages", "notification_channels")
TRUE = {"oui", "vrai", "true", "yes", "1", "x", "o", "y"}
FALSE = {"non", "faux", "false", "no", "0", ""}


class CellError(ValueError):
    """A cell that cannot be read: the message code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def header_problems(header: list[str]) -> list[FieldError]:
    unknown = [c for c in header if c not in COLUMNS]
    accepted = {"columns": ", ".join(COLUMNS)}
    problems = [FieldError(c or "(vide)", "csv.unknown_column", accepted) for c in unknown]
    problems += [FieldError(c, "csv.missing_column") for c in REQUIRED if c not in header]
    seen: set[str] = set()
    for c in header:
        if c in seen:
            problems.append(FieldError(c, "csv.duplicate_column"))
        seen.add(c)
    return problems


def _unescaped(text: str) -> str:
    """A cell as typed: our exports prefix formula-like cells with ``'`` (spreadsheet_safe).

    >>> _unescaped("'=SUM(A1)"), _unescaped("'Lyon")
    ('=SUM(A1)', "'Lyon")
    """
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _date(text: str) -> date | None:
    if not text:
        return None
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError("csv.invalid_date")


def _flag(text: str) -> bool:
    low = text.lower()
    if low in TRUE:
        return True
    if low in FALSE:
        return False
    raise CellError("validation.bool_parsing")


def _skills(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in _list(text):
        code, sep, level = item.partition(":")
        if not sep or not level.strip().isdigit():
            raise CellError("csv.invalid_skill_item", item=item)
        out[code.strip()] = int(level)
    return out


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


def parse_row(cells: Mapping[str, str]) -> tuple[dict[str, Any], list[FieldError]]:
    """Candidate profile fields from the cells present, and the cell-level problems.

    ``manager_email``, ``manager``, ``manager_name``, ``id`` and ``left_on`` stay as
    keys of the result for the caller to resolve.
    """
    out: dict[str, Any] = {}
    problems: list[FieldError] = []
    for column, raw in cells.items():
        text = _unescaped((raw or "").strip())
        if not text and column in DEFAULTED:  # blank: the API's default (or kept as it is)
            continue
        try:
            if column in PLAIN:
                out[column] = text
            elif column in OPTIONAL_TEXT or column in REFERENCES:
                out[column] = text or None
            elif column in LISTS:
                out[column] = _list(text)
            elif column == "skills":
                out[column] = _skills(text)
            elif column in DATES:
                out[column] = _date(text)
            elif column.startswith("availability_"):
                if text:
                    out.setdefault("availability", {})[column.removeprefix("availability_")] = text
            elif column in FLAGS:
                out.setdefault("opt_ins", {})[column] = _flag(text)
            elif column == "mentor_capacity":
                out.setdefault("opt_ins", {})[column] = int(text or 0)
        except CellError as exc:
            problems.append(FieldError(column, exc.code, exc.params))
        except ValueError:  # int() of a capacity that is not a number
            problems.append(FieldError(column, "validation.int_parsing"))
    return out, problems


def column_of(path: str) -> str:
    """CSV column of a profile field path (``opt_ins.mentor_capacity`` -> ``mentor_capacity``)."""
    head, _, rest = path.partition(".")
    if head == "opt_ins" and rest:
        return rest.split(".")[0]
    if head == "availability" and rest:
        return f"availability_{rest.split('.')[0]}"
    if head in ("", "body"):
        return "notification_channels"
    if head == "manager_id":
        return "manager_email"
    return head


def to_row(
    member_id: str,
    data: Mapping[str, Any],
    manager_email: str | None,
    manager: str | None = None,
) -> dict[str, str]:
    """One CSV row of a stored member; reading it back gives the same profile.

    ``manager`` is how HR names the manager (external id, else e-mail or HR key).
    """
    opt_ins = data.get("opt_ins") or {}
    availability = data.get("availability") or {}
    row = {c: str(data.get(c) or "") for c in (*PLAIN, *OPTIONAL_TEXT)}
    row.update({c: "|".join(data.get(c) or ()) for c in LISTS})
    row.update({c: (data.get(c) or "") and str(data[c]) for c in DATES})
    row.update({c: "oui" if opt_ins.get(c) else "non" for c in FLAGS})
    row["mentor_capacity"] = str(opt_ins.get("mentor_capacity", 0))
    row["availability_frequency"] = str(availability.get("frequency", ""))
    row["availability_mode"] = str(availability.get("mode", ""))
    row["skills"] = "|".join(f"{c}:{lvl}" for c, lvl in (data.get("skills") or {}).items())
    row["id"] = member_id
    row["manager_email"] = manager_email or ""
    row["manager"] = manager or manager_email or ""
    row["manager_name"] = ""
    return {c: row[c] for c in COLUMNS}
