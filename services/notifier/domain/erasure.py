"""Erasure (GDPR) on the JSON form of match events: the ids of erased members removed.

An erased member's id in a stored payload becomes :data:`ERASED` (no id at all): the
messages rendered from it show the tombstone wording (``notice.former_member``)
where a name was, or leave them out of a list, and never look them up again.

>>> without_members({"type": "match.mentoring_pair", "mentor_id": "a", "mentee_id": "b"}, {"b"})
{'type': 'match.mentoring_pair', 'mentor_id': 'a', 'mentee_id': ''}
>>> names_any({"type": "match.group", "members": ["a", "b"]}, {"c"})
False
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from services.notifier.domain.deliveries import Group

#: What an erased member's id becomes in a stored payload: no id.
ERASED = ""
_SINGLE = ("mentor_id", "mentee_id", "facilitator_id", "member_id")


def names_any(payload: Mapping[str, Any], gone: Collection[str]) -> bool:
    """Whether ``payload`` holds the id of any member of ``gone``."""
    return without_members(payload, gone) != payload


def without_members(payload: Mapping[str, Any], gone: Collection[str]) -> dict[str, Any]:
    """``payload`` with every id of ``gone`` replaced by :data:`ERASED` (a new dict)."""
    result = dict(payload)
    for key in _SINGLE:
        if result.get(key) in gone:
            result[key] = ERASED
    if "members" in result:
        result["members"] = [ERASED if m in gone else m for m in result["members"]]
    if "seats" in result:
        result["seats"] = [
            {**s, "tablemates": [ERASED if m in gone else m for m in s.get("tablemates", ())]}
            for s in result["seats"]
        ]
    return result


def erased_after(erasures: Mapping[str, datetime], moment: datetime) -> set[str]:
    """The members of ``erasures`` (id -> erased at) erased at or after ``moment``:
    an event that happened before their erasure must not name them.

    A member erased *before* the event happened registered again under that id: the
    event is about the new registration and stays as it is.
    """
    return {member_id for member_id, at in erasures.items() if at >= moment}


def group_without_erased(group: Group, erasures: Mapping[str, datetime]) -> Group:
    """``group`` whose payloads no longer name the members ``erasures`` erased after
    each match happened: a message claimed just before an erasure was recorded."""
    rows = []
    for row in group.rows:
        gone = erased_after(erasures, datetime.fromisoformat(row.payload["occurred_at"]))
        rows.append(dataclasses.replace(row, payload=without_members(row.payload, gone)))
    return dataclasses.replace(group, rows=tuple(rows))
