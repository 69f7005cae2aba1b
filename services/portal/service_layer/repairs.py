"""The coordinator's repair of a published round: who left, and what each repair changed."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import Any

from services.portal.adapters.coordination import Coordination
from services.portal.domain.errors import Refused
from shared.errors import FieldError

REASONS = ("declined", "deactivated", "erased", "coordinator")
#: Ids are separated by commas, semicolons, spaces or new lines in the form.
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class RepairPage:
    round: dict[str, Any]
    repairs: dict[str, Any]  # revision, auto_repair, departures, repairs (reports)
    names: dict[str, str]
    latest: dict[str, Any] | None = None  # the repair just made

    @property
    def pending(self) -> list[str]:
        """Who left and no repair took into account yet (declines, no answers): the form's
        list is pre-filled with them."""
        return [
            d["member_id"]
            for d in self.repairs["departures"]
            if not d.get("repaired_in") and d.get("reason") != "erased"
        ]


async def repair_page(
    c: Coordination, round_id: str, latest: dict[str, Any] | None = None
) -> RepairPage:
    """The round, its departures and its repair reports, with the names of those named."""
    found, repairs = await asyncio.gather(c.round(round_id), c.repairs(round_id))
    reports = [*repairs["repairs"], *([latest] if latest else [])]
    ids = {d["member_id"] for d in repairs["departures"]}
    ids |= {m for r in reports for m in r.get("changed_people", [])}
    people = await c.names_by_id(ids) if ids else {}
    names = {i: str(p.get("display_name") or i) for i, p in people.items()}
    return RepairPage(found, repairs, names, latest)


def repair_body(form: dict[str, str]) -> dict[str, Any]:
    """The matcher's repair request from the page's form (422 naming the field if wrong).

    >>> repair_body({"departed": "a1, b2\\nc3", "reason": "declined", "held_rotations": ""})
    {'departed': ['a1', 'b2', 'c3'], 'reason': 'declined', 'held_rotations': 0}
    """
    departed = [d for d in _SEPARATORS.split(form.get("departed", "")) if d]
    reason = form.get("reason", "coordinator")
    held = form.get("held_rotations", "").strip() or "0"
    errors = []
    if reason not in REASONS:
        errors.append(FieldError("reason", "portal.repair_reason_invalid"))
    if not held.isdigit():
        errors.append(FieldError("held_rotations", "portal.repair_held_invalid"))
    if errors:
        raise Refused(422, "", errors)
    return {"departed": departed, "reason": reason, "held_rotations": int(held)}
