"""Erasure of a member from published matches: a tombstone in place of the member.

Published matches are a record of what was announced, so they stay, but an erased member
leaves no id and no name in them: their place in ``members`` holds :data:`ERASED` (shown
as ``{"erased": true}``), the fields naming them become ``None`` and they leave the
tablemates of others. A rotation match that was their own seating disappears.
"""

from __future__ import annotations

from typing import Any

#: What a stored match holds in place of an erased member (never a valid member id).
ERASED = "~erased"
NAMING_FIELDS = ("mentor_id", "mentee_id", "facilitator_id")


def tombstone(
    kind: str, members: list[str], data: dict[str, Any], member_id: str
) -> tuple[list[str], dict[str, Any]] | None:
    """``(members, data)`` of a match without ``member_id``, or ``None`` to delete it.

    >>> tombstone("mentoring", ["a", "b"], {"mentor_id": "a", "mentee_id": "b"}, "a")
    (['~erased', 'b'], {'mentor_id': None, 'mentee_id': 'b'})
    >>> tombstone("rotations", ["a"], {"seats": []}, "a") is None
    True
    """
    if kind == "rotations" and members == [member_id]:
        return None
    kept = {k: (None if k in NAMING_FIELDS and v == member_id else v) for k, v in data.items()}
    if isinstance(data.get("seats"), list):
        kept["seats"] = [
            {**seat, "tablemates": [m for m in seat.get("tablemates", []) if m != member_id]}
            for seat in data["seats"]
        ]
    return [ERASED if m == member_id else m for m in members], kept
