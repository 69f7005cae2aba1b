"""The form that creates a round: one field per parameter of each kind.

The matcher owns the rules (``services/matcher/domain/parameters.py``) and answers a
422 naming each field it refuses; the bounds here only give the browser its ``min``,
``max`` and ``step`` so a person sees them before sending. Weights are nested in the
matcher's body (``weights.skills``); the form names them ``weights.skills`` too, so a
field error from the matcher lands next to its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

from shared.errors import FieldError

KINDS: Final = ("mentoring", "groups", "rotations")
BIG: Final = 1000.0


@dataclass(frozen=True, slots=True)
class Field:
    """One input: its name (the matcher's, dotted when nested), type, bounds, default."""

    name: str
    type: Literal["int", "float", "choice", "optional_int", "optional_float"]
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def step(self) -> str:
        return "1" if "int" in self.type else "any"


_COMMON = (
    Field("seed", "int", 0, 0, 2**32 - 1),
    Field("newcomer_months", "int", 12, 1, 120),
    Field("lookback_days", "optional_int", None, 1, 36_500),
)
FIELDS: Final[dict[str, tuple[Field, ...]]] = {
    "mentoring": (
        Field("mode", "choice", "best_total", choices=("best_total", "max_mentees")),
        Field("min_score", "optional_float", None, -BIG, BIG),
        *(
            Field(f"weights.{w}", "optional_float", None, 0, BIG)
            for w in ("skills", "themes", "cross_site", "newcomer", "seniority")
        ),
        *_COMMON,
    ),
    "groups": (
        Field("min_size", "int", 5, 2, 50),
        Field("target_size", "int", 8, 2, 50),
        Field("max_size", "int", 10, 2, 50),
        *(
            Field(f"weights.{w}", "optional_float", None, 0, BIG)
            for w in ("cohesion", "sites", "seniority", "newcomers")
        ),
        *_COMMON,
    ),
    "rotations": (
        Field("table_size", "int", 10, 2, 50),
        Field("rounds", "int", 3, 1, 40),
        Field("max_site_share", "float", 0.5, 0.01, 1),
        *_COMMON,
    ),
}


def _number(field: Field, raw: str) -> int | float:
    return int(raw) if "int" in field.type else float(raw.replace(",", "."))


def parameters_from_form(
    kind: str, form: dict[str, str]
) -> tuple[dict[str, Any], list[FieldError]]:
    """The matcher's ``parameters`` from the form, and the fields that are not numbers.

    An empty optional field is left out, so the matcher applies its own default.

    >>> parameters_from_form("groups", {"min_size": "4", "weights.sites": "2,5",
    ...                                 "target_size": "", "max_size": "x"})[0]
    {'min_size': 4, 'weights': {'sites': 2.5}}
    >>> [e.field for e in parameters_from_form("groups", {"max_size": "x"})[1]]
    ['max_size']
    """
    out: dict[str, Any] = {}
    errors: list[FieldError] = []
    for f in FIELDS[kind]:
        raw = form.get(f.name, "").strip()
        if not raw:
            continue
        if f.type == "choice":
            value: Any = raw
        else:
            try:
                value = _number(f, raw)
            except ValueError:
                errors.append(FieldError(f.name, "portal.number_invalid", {"value": raw}))
                continue
        head, _, tail = f.name.partition(".")
        if tail:
            out.setdefault(head, {})[tail] = value
        else:
            out[head] = value
    return out, errors


def form_field(api_field: str) -> str:
    """The form field a matcher 422 names (``body.parameters.weights.sites`` ->
    ``weights.sites``; the kind's size rule -> ``min_size``).

    >>> form_field("body.parameters.weights.sites"), form_field("parameters.max_size")
    ('weights.sites', 'max_size')
    >>> form_field("name")
    'name'
    """
    parts = api_field.split(".")
    if parts and parts[0] == "body":
        parts = parts[1:]
    if parts and parts[0] == "parameters":
        parts = parts[1:]
    return ".".join(parts) or "parameters"
