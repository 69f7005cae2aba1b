"""A coordinator's adjustments of a proposal, as plain values (stored with the round).

They are stored as ``{"action": ..., <fields>}`` mappings: :func:`as_record` and
:func:`from_record` convert, so the HTTP request models are not the domain's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class RemoveMember:
    """Take ``member_id`` out of the proposal; the rest is solved again."""

    action: ClassVar[str] = "remove"
    member_id: str


@dataclass(frozen=True, slots=True)
class LockMatch:
    """Keep match ``match_id`` as it is through later re-solves."""

    action: ClassVar[str] = "lock"
    match_id: str


@dataclass(frozen=True, slots=True)
class SwapMembers:
    """Exchange the places of two members."""

    action: ClassVar[str] = "swap"
    member_a: str
    member_b: str


@dataclass(frozen=True, slots=True)
class AssignMentee:
    """Mentoring only: put ``mentee_id`` with ``mentor_id`` (and keep it)."""

    action: ClassVar[str] = "assign"
    mentee_id: str
    mentor_id: str


Adjustment = RemoveMember | LockMatch | SwapMembers | AssignMentee
BY_ACTION: dict[str, type[Adjustment]] = {
    k.action: k for k in (RemoveMember, LockMatch, SwapMembers, AssignMentee)
}


def as_record(adjustment: Adjustment) -> dict[str, Any]:
    """>>> as_record(RemoveMember("m1"))
    {'action': 'remove', 'member_id': 'm1'}
    """
    return {"action": adjustment.action, **dataclasses.asdict(adjustment)}


def from_record(record: Mapping[str, Any]) -> Adjustment:
    """>>> from_record({"action": "swap", "member_a": "a", "member_b": "b"})
    SwapMembers(member_a='a', member_b='b')
    """
    fields = {k: v for k, v in record.items() if k != "action"}
    return BY_ACTION[str(record["action"])](**fields)
