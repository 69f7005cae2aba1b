"""What a member's home page shows (pure: no framework, no settings).

**Engagements.** One card per match the member is in (a binôme, a groupe, a
séminaire), and one card for each of the three formats they have no match in yet,
saying whether they are enrolled. Each card has a stage and the one pending action:

=============  ==============================================  ==========================
stage          when                                            pending action
=============  ==============================================  ==========================
not_enrolled   no match of that format, not opted in           enrol (the profile's opt-ins)
waiting        no match of that format yet, opted in           none: the next round
announced      matched, the announcement is still unread       read the announcement
under_way      matched, announcement read                      by format and role (below)
=============  ==============================================  ==========================

Under way: a mentor proposes the first meeting, a mentee prepares it, a facilitator
proposes the group's first session, a group member meets the group, a seminar
attendee looks up their tables.

**Completeness.** Five things the member fills in themself and the matching uses (HR's
fields do not count: the member cannot change them): at least three skills with a
level, at least one skill wanted, at least one theme, at least one format joined, at
least one way to be told. Each counts for a fifth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: The three formats, in the order of the page, and the opt-ins that enrol in each.
FORMATS = (("mentoring", ("mentee", "mentor")), ("groups", ("groups", "facilitator")),
           ("rotations", ("seminars",)))  # fmt: skip
#: Fewest skills (with a level) for that part of the profile to count as done.
MIN_SKILLS = 3


@dataclass(frozen=True, slots=True)
class Engagement:
    """One card: the format, its stage, the pending action (a code and a link)."""

    kind: str
    stage: str
    action: str | None = None
    href: str | None = None
    match_id: str | None = None
    role: str | None = None
    #: For a seminar: (rotation number, table number) of each of the member's seats.
    seats: tuple[tuple[int, int], ...] = ()
    #: Why this match, in the member's language (the matcher's sentence).
    explanation: str = ""


def _role(match: Mapping[str, Any], me: str) -> str:
    data = match.get("data") or {}
    if match["kind"] == "mentoring":
        return "mentor" if data.get("mentor_id") == me else "mentee"
    if match["kind"] == "groups":
        return "facilitator" if data.get("facilitator_id") == me else "member"
    return "attendee"


def _seats(match: Mapping[str, Any]) -> tuple[tuple[int, int], ...]:
    seats = (match.get("data") or {}).get("seats") or []
    return tuple((int(s["seminar_round"]) + 1, int(s["table"]) + 1) for s in seats)


def matched(match: Mapping[str, Any], me: str, unread: bool) -> Engagement:
    """The card of a match: announced until its message is read, then under way.

    >>> pair = {"id": "p1", "kind": "mentoring", "data": {"mentor_id": "me"}}
    >>> matched(pair, "me", unread=True).action
    'read'
    >>> matched(pair, "me", unread=False).action
    'under_way_mentor'
    """
    role, why = _role(match, me), str(match.get("explanation") or "")
    if unread:
        return Engagement(match["kind"], "announced", "read", "/messages", match["id"], role,
                          _seats(match), why)  # fmt: skip
    href = f"/mises-en-relation#m-{match['id']}"
    return Engagement(match["kind"], "under_way", f"under_way_{role}", href, match["id"], role,
                      _seats(match), why)  # fmt: skip


def engagements(
    profile: Mapping[str, Any], matches: Sequence[Mapping[str, Any]], unread: set[str]
) -> list[Engagement]:
    """Every card of the home page, matches first, format by format.

    >>> cards = engagements({"id": "me", "opt_ins": {"groups": True}},
    ...     [{"id": "s1", "kind": "rotations", "data": {"seats": [
    ...         {"seminar_round": 0, "table": 2}]}}], unread=set())
    >>> [(c.kind, c.stage, c.action) for c in cards]
    [('mentoring', 'not_enrolled', 'enrol'), ('groups', 'waiting', None), \
('rotations', 'under_way', 'under_way_attendee')]
    >>> cards[2].seats
    ((1, 3),)
    """
    me, opt_ins = str(profile.get("id") or ""), profile.get("opt_ins") or {}
    cards: list[Engagement] = []
    for kind, enrolling in FORMATS:
        mine = [m for m in matches if m.get("kind") == kind]
        cards += [matched(m, me, m["id"] in unread) for m in mine]
        if mine:
            continue
        if any(opt_ins.get(o) for o in enrolling):
            cards.append(Engagement(kind, "waiting"))
        else:
            cards.append(Engagement(kind, "not_enrolled", "enrol", f"/profil#{enrolling[0]}"))
    return cards


@dataclass(frozen=True, slots=True)
class Completeness:
    done: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        total = len(self.done) + len(self.missing)
        return round(100 * len(self.done) / total) if total else 100


def completeness(profile: Mapping[str, Any]) -> Completeness:
    """Which of the five parts of the profile are filled in.

    >>> c = completeness({"skills": {"a": 2, "b": 1, "c": 3}, "themes": ["t"],
    ...                   "opt_ins": {"mentee": True}, "notification_channels": []})
    >>> c.percent, c.missing
    (60, ('wanted', 'channels'))
    """
    skills = [level for level in (profile.get("skills") or {}).values() if level]
    opt_ins = profile.get("opt_ins") or {}
    parts = {
        "skills": len(skills) >= MIN_SKILLS,
        "wanted": bool(profile.get("skills_wanted")),
        "themes": bool(profile.get("themes")),
        "formats": any(opt_ins.get(o) for _, joined in FORMATS for o in joined),
        "channels": bool(profile.get("notification_channels")),
    }
    return Completeness(tuple(k for k, v in parts.items() if v),
                        tuple(k for k, v in parts.items() if not v))  # fmt: skip
