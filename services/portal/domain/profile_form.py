"""The "Mon profil" form: what a member may change, read from a plain HTML form.

The form sends skills as rows (a catalogue entry typed or picked from a list, and a
level), and simple fields as text, checkboxes and selects. :func:`changes_from_form`
turns it into the partial update profiles expects, and refuses what it can check
here (an unknown skill, a level out of range) with one field error per row, so the
page shows each error next to its field. Profiles checks everything again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.errors import FieldError

#: Fields the member owns; everything else on a profile belongs to HR (shown read-only).
MEMBER_FIELDS = (
    "skills", "skills_wanted", "themes", "languages", "availability", "opt_ins",
    "paused_until", "notification_channels", "chat_webhook_url", "preferred_language",
)  # fmt: skip
HR_FIELDS = ("display_name", "email", "external_id", "site", "department", "function",
             "manager_id", "team", "start_date")  # fmt: skip
OPT_INS = ("mentor", "mentee", "groups", "seminars", "facilitator")
CHANNELS = ("email", "chat", "inapp")
LEVELS = range(0, 5)
#: Blank rows offered under a member's skills, to add new ones without JavaScript.
EXTRA_ROWS = 3


@dataclass(frozen=True, slots=True)
class Catalogue:
    """Skill codes with their labels, to read what a member typed or picked."""

    labels: Mapping[str, tuple[str, str]]  # code -> (label fr, label en)

    def resolve(self, typed: str) -> str | None:
        """The code of a skill given by its code or either label (any case).

        >>> Catalogue({"excel": ("Excel avancé", "Advanced Excel")}).resolve(" excel avancé ")
        'excel'
        """
        key = typed.strip().casefold()
        if not key:
            return None
        for code, (fr, en) in self.labels.items():
            if key in (code.casefold(), fr.casefold(), en.casefold()):
                return code
        return None


def _rows(form: Mapping[str, str], prefix: str) -> list[tuple[int, str]]:
    """``(index, value)`` of the fields named ``prefix0``, ``prefix1``, ..., in order."""
    found = []
    for name, value in form.items():
        suffix = name.removeprefix(prefix)
        if suffix != name and suffix.isdigit():
            found.append((int(suffix), value))
    return sorted(found)


def _words(text: str) -> list[str]:
    return [w.strip().lower() for w in text.replace(";", ",").split(",") if w.strip()]


def changes_from_form(
    form: Mapping[str, str], checked: set[str], catalogue: Catalogue
) -> tuple[dict[str, Any], list[FieldError]]:
    """The partial update the form asks for, and the errors found before sending it.

    ``form`` maps each field name to its value, ``checked`` names the ticked boxes.
    """
    errors: list[FieldError] = []
    skills: dict[str, int] = {}
    for i, typed in _rows(form, "skill_"):
        if not typed.strip():
            continue
        code = catalogue.resolve(typed)
        level = form.get(f"level_{i}", "")
        if code is None:
            errors.append(FieldError(f"skill_{i}", "portal.skill_unknown", {"value": typed}))
        elif not (level.isdigit() and int(level) in LEVELS):
            errors.append(FieldError(f"level_{i}", "portal.level_invalid", {"value": level}))
        else:
            skills[code] = int(level)
    wanted: list[str] = []
    for i, typed in _rows(form, "wanted_"):
        if not typed.strip():
            continue
        code = catalogue.resolve(typed)
        if code is None:
            errors.append(FieldError(f"wanted_{i}", "portal.skill_unknown", {"value": typed}))
        elif code not in wanted:
            wanted.append(code)
    capacity = form.get("mentor_capacity", "0").strip() or "0"
    if not capacity.isdigit():
        errors.append(FieldError("mentor_capacity", "portal.number_invalid", {"value": capacity}))
        capacity = "0"
    changes: dict[str, Any] = {
        "skills": skills,
        "skills_wanted": wanted,
        "themes": _words(form.get("themes", "")),
        "languages": _words(form.get("languages", "")),
        "availability": {
            "frequency": form.get("frequency", "monthly"),
            "mode": form.get("mode", "either"),
        },
        "opt_ins": {
            **{name: name in checked for name in OPT_INS},
            "mentor_capacity": int(capacity),
        },
        "paused_until": form.get("paused_until", "").strip() or None,
        "notification_channels": [c for c in CHANNELS if f"channel_{c}" in checked],
        "preferred_language": form.get("preferred_language", "fr"),
    }
    webhook = form.get("chat_webhook_url", "").strip()
    changes["chat_webhook_url"] = webhook or None
    return changes, errors


#: Fields of the form that show their own errors (the others show at the top).
SHOWN = frozenset({
    "skills", "skills_wanted", "themes", "languages", "frequency", "mode", "mentor_capacity",
    "paused_until", "notification_channels", "chat_webhook_url",
})  # fmt: skip


def form_field(api_field: str) -> str:
    """Where on the form to show an error profiles gave for ``api_field`` ("" = the top).

    >>> form_field("opt_ins.mentor_capacity"), form_field("skills.excel"), form_field("body")
    ('mentor_capacity', 'skills', '')
    """
    parts = api_field.split(".")
    if parts[0] in ("opt_ins", "availability") and len(parts) > 1:
        parts = parts[1:]
    return parts[0] if parts[0] in SHOWN else ""
