"""A round's adjustments from the round page's forms, members picked by name or id.

Each member field of a form (swap, remove, assign) is a plain text field: a member id,
a suggestion of the list (``Name — Site (id)``) or a part of a name. Every field is
resolved through profiles before the matcher is asked; a name that designates nobody
or several members refuses the form with, next to the field, the candidates to choose
from (:class:`Refused`, 422), and the matcher is not called.
"""

from __future__ import annotations

from typing import Any

from services.portal.adapters.coordination import Coordination
from services.portal.domain import picker
from services.portal.domain.errors import Refused
from shared.errors import FieldError

#: The fields of each action, and which of them name a member.
FIELDS = {"swap": ("member_a", "member_b"), "lock": ("match_id",),
          "remove": ("member_id",), "assign": ("mentee_id", "mentor_id")}  # fmt: skip
MEMBER_FIELDS = frozenset({"member_a", "member_b", "member_id", "mentee_id", "mentor_id"})
#: Profiles' bound on an id (longer text can only be a name).
MAX_ID_LENGTH = 64


def _could_be_id(text: str) -> bool:
    return 0 < len(text) <= MAX_ID_LENGTH and " " not in text


async def pick_member(c: Coordination, text: str) -> picker.Chosen | picker.Unclear:
    """The member ``text`` designates: an id, a suggestion's id, else a name."""
    name, suggested = picker.read_choice(text)
    ids = [i for i in (suggested or "", name) if _could_be_id(i)]
    known = await c.names_by_id(ids) if ids else {}
    for member_id in ids:
        if member_id in known:
            return picker.Chosen(member_id)
    if not name:
        return picker.Unclear(())
    found = await c.find_names(name, picker.MAX_CANDIDATES + 1)
    return picker.choose(name, found)


def _unclear(field: str, text: str, picked: picker.Unclear) -> FieldError:
    if not picked.candidates:
        return FieldError(field, "portal.picker_unknown", {"text": text})
    listed = " ; ".join(picked.candidates)
    return FieldError(field, "portal.picker_ambiguous", {"text": text, "candidates": listed})


async def adjustment_from_form(c: Coordination, form: dict[str, str]) -> dict[str, Any]:
    """The matcher's adjustment, members resolved to ids (or :class:`Refused`)."""
    action = form.get("action", "")
    adjustment: dict[str, Any] = {"action": action}
    errors: list[FieldError] = []
    for field in FIELDS.get(action, ()):
        text = " ".join(form.get(field, "").split())
        adjustment[field] = text
        if field not in MEMBER_FIELDS or not text:
            continue  # the matcher names a missing field itself
        picked = await pick_member(c, text)
        if isinstance(picked, picker.Chosen):
            adjustment[field] = picked.member_id
        else:
            errors.append(_unclear(field, text, picked))
    if errors:
        raise Refused(422, "", errors)
    return adjustment


def options(names: dict[str, str]) -> list[str]:
    """The suggestions a round page lists without JavaScript: its members shown."""
    found = (picker.suggestion({"id": i, "display_name": n}) for i, n in names.items())
    return sorted(found, key=str.casefold)


async def suggestions(c: Coordination, text: str, limit: int = 20) -> list[str]:
    """Suggestions for what was typed so far (two characters at least)."""
    text = " ".join(text.split())[:120]
    if len(text) < 2:
        return []
    return [picker.suggestion(m) for m in await c.find_names(text, limit)]
