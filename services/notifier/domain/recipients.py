"""Who is told about a match, and in which role.

Works on the JSON form of the match events (``shared.events``), as stored with each
delivery, so the rules need no framework.

>>> recipients({"type": "match.mentoring_pair", "mentor_id": "a", "mentee_id": "b"})
[('a', 'mentor'), ('b', 'mentee')]
>>> recipients({"type": "match.group", "members": ["a", "b"], "facilitator_id": "c"})
[('a', 'group_member'), ('b', 'group_member'), ('c', 'facilitator')]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.notifier.domain.model import Role
from services.notifier.domain.notices import is_notice


class UnknownMatchKind(ValueError):
    """The payload is not a match event this notifier knows."""


def recipients(payload: Mapping[str, Any]) -> list[tuple[str, Role]]:
    """(member id, role) for everyone the match concerns, each member once."""
    kind = payload.get("type")
    found: list[tuple[str, Role]] = []
    if is_notice(payload):  # a notice of the life of a match: for its one member
        found = [(payload["member_id"], "notice")]
    elif kind == "match.mentoring_pair":
        found = [(payload["mentor_id"], "mentor"), (payload["mentee_id"], "mentee")]
    elif kind == "match.group":
        facilitator = payload.get("facilitator_id")
        found = [
            (m, "facilitator" if m == facilitator else "group_member") for m in payload["members"]
        ]
        if facilitator and facilitator not in payload["members"]:
            found.append((facilitator, "facilitator"))
    elif kind == "match.rotation":
        found = [(payload["member_id"], "seminar_attendee")]
    else:
        raise UnknownMatchKind(f"type d'événement inconnu : {kind!r}")
    unique: dict[str, Role] = {}
    for member_id, role in found:
        unique.setdefault(member_id, role)
    return list(unique.items())


def people_named(payload: Mapping[str, Any], member_id: str) -> list[str]:
    """The other members whose names the message to ``member_id`` shows."""
    kind = payload.get("type")
    if is_notice(payload):
        return []  # a notice names nobody else
    if kind == "match.mentoring_pair":
        ids = [payload["mentor_id"], payload["mentee_id"]]
    elif kind == "match.group":
        ids = [*payload["members"], payload.get("facilitator_id")]
    elif kind == "match.rotation":
        ids = [m for seat in payload.get("seats", ()) for m in seat.get("tablemates", ())]
    else:
        raise UnknownMatchKind(f"type d'événement inconnu : {kind!r}")
    return list(dict.fromkeys(i for i in ids if i and i != member_id))
