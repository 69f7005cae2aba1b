"""Notices about the life of a match: who is told what, once, and the link to answer.

The matcher's life events that concern one member and ask something of them — a
reminder to answer, "no answer" at the deadline, the check-in and its reminders — each
become one message per member and channel. Their idempotency key is the match, the
member, the channel and the notice (the event type and its rank): a redelivered event,
or a replayed stream, adds nothing. Answers (accepted, declined) and check-in answers
tell nobody: the person who acted sees them on their page; a declined match is the
coordinator's to repair.

>>> notice_of({"type": "match.response_reminded", "match_id": "x", "reminder": 2})
'response_reminded.2'
>>> notice_of({"type": "match.accepted", "match_id": "x"}) is None
True
>>> answer_link("https://portail.example/", "x")
'https://portail.example/propositions/x'
>>> notice_of({"type": "group.session_reminded", "match_id": "g", "session_number": 3})
'session_reminded.3'
>>> answer_link("https://portail.example", "g", "feedback_requested.0")
'https://portail.example/propositions/g/avis'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOTICE_TYPES: frozenset[str] = frozenset(
    {
        "match.response_reminded",
        "match.unanswered",
        "match.checkin_requested",
        "match.feedback_requested",
        "group.session_reminded",
    }
)
#: The portal page each notice links to, after the match's own (``/propositions/<match>``).
PAGES: dict[str, str] = {"feedback_requested": "/avis", "session_reminded": "/seances"}
#: Marks the delivery key of a notice (a match id never holds it).
SEPARATOR = "~"


def notice_of(payload: Mapping[str, Any]) -> str | None:
    """The notice a life event is (``<type>.<rank>``), or None if it tells nobody."""
    kind = payload.get("type", "")
    if kind not in NOTICE_TYPES:
        return None
    return f"{kind.split('.', 1)[1]}.{rank(payload)}"


def rank(payload: Mapping[str, Any]) -> int:
    """Which one of its kind: a reminder's number, or a group's session number."""
    return int(payload.get("reminder", payload.get("session_number", 0)))


def delivery_key(payload: Mapping[str, Any]) -> str:
    """The ``match_id`` column of a notice's deliveries: the match and the notice."""
    return f"{payload['match_id']}{SEPARATOR}{notice_of(payload)}"


def is_notice(payload: Mapping[str, Any]) -> bool:
    return payload.get("type", "") in NOTICE_TYPES


def answer_link(portal_url: str, match_id: str, notice: str = "") -> str:
    """The portal page of a match (or of a notice about it): it asks before any change."""
    page = PAGES.get(notice.split(".")[0], "")
    return f"{portal_url.rstrip('/')}/propositions/{match_id}{page}"
