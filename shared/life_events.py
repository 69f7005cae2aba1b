"""Event contracts of the life of a published match: answers, timers, meetings, closing.

The matcher produces them all (from its outbox), on the ``ENTRAIDE_LIFE`` stream
(``entraide.life.>``) except ``round.repaired`` (a round event). Like every event they
are PII-free: pseudonymous member ids and codes, never a name, an e-mail or free text
(the feedback comment stays in the matcher's database, for HR only).

``occurred_at`` is the producer's clock (the matcher's injectable clock), not the wall
clock. Where the action is idempotent the event id is deterministic
(:func:`life_event_id` of the match, the member and the action), so a retried action
yields the same event, which the outbox and the stream's de-duplication drop.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import Field, TypeAdapter

from shared import subjects
from shared.events import Event, RoundKind
from shared.vocabulary.codes import CheckinFit, ClosingReason, DeclineReason

#: Namespace of the deterministic ids of life events (uuid5).
LIFE_NAMESPACE = uuid.UUID("6f1c2d0e-9a43-5b7e-8f21-3c4d5e6f7a80")


def life_event_id(*parts: object) -> str:
    """A deterministic event id (32 hex chars) for an idempotent action.

    >>> life_event_id("match-1", "m1", "accepted") == life_event_id("match-1", "m1", "accepted")
    True
    >>> len(life_event_id("match-1", "m1", "reminded", 2))
    32
    """
    return uuid.uuid5(LIFE_NAMESPACE, "|".join(str(p) for p in parts)).hex


class MatchLifeEvent(Event):
    """Something that happened to a published match."""

    match_id: str = Field(description="The published match (as in match.* events).")
    round_id: str = Field(description="Its round.")
    kind: RoundKind = Field(description="The round's kind: mentoring, groups or rotations.")


class MemberMatchEvent(MatchLifeEvent):
    """Something one member of a match did, or that concerns one member of it."""

    member_id: str = Field(description="Pseudonymous id of the member concerned.")


class MatchAccepted(MemberMatchEvent):
    """A member accepted the match. Event id: life_event_id(match, member, 'answer')."""

    subject: ClassVar[str] = subjects.MATCH_ACCEPTED
    type: Literal["match.accepted"] = "match.accepted"


class MatchDeclined(MemberMatchEvent):
    """A member declined the match. Event id: life_event_id(match, member, 'answer')."""

    subject: ClassVar[str] = subjects.MATCH_DECLINED
    type: Literal["match.declined"] = "match.declined"
    reason: DeclineReason = Field(description="not_available, not_a_fit, left or other.")


class MatchResponseReminded(MemberMatchEvent):
    """A member who has not answered is reminded (at most twice) before the deadline.

    Event id: life_event_id(match, member, 'response_reminded', reminder).
    """

    subject: ClassVar[str] = subjects.MATCH_RESPONSE_REMINDED
    type: Literal["match.response_reminded"] = "match.response_reminded"
    reminder: int = Field(ge=1, le=2, description="1 for the first reminder, 2 for the second.")
    deadline: datetime = Field(description="When the answer is due (UTC).")


class MatchUnanswered(MemberMatchEvent):
    """The deadline passed without an answer from this member.

    Event id: life_event_id(match, member, 'unanswered').
    """

    subject: ClassVar[str] = subjects.MATCH_UNANSWERED
    type: Literal["match.unanswered"] = "match.unanswered"
    deadline: datetime = Field(description="The deadline that passed (UTC).")


class MatchCheckinRequested(MemberMatchEvent):
    """The check-in "did you meet?" asked of a member (``reminder`` 0), then reminded.

    Event id: life_event_id(match, member, 'checkin_requested', reminder).
    """

    subject: ClassVar[str] = subjects.MATCH_CHECKIN_REQUESTED
    type: Literal["match.checkin_requested"] = "match.checkin_requested"
    reminder: int = Field(0, ge=0, le=2, description="0: the request; 1, 2: reminders.")


class MatchCheckinAnswered(MemberMatchEvent):
    """A member answered the check-in. Event id: life_event_id(match, member, 'checkin')."""

    subject: ClassVar[str] = subjects.MATCH_CHECKIN_ANSWERED
    type: Literal["match.checkin_answered"] = "match.checkin_answered"
    met: bool = Field(description="Whether they have met.")
    fit: CheckinFit = Field(description="good, unsure or not_a_fit.")


class GroupSessionRecorded(MatchLifeEvent):
    """A facilitator recorded one session of a group (its date and who came)."""

    subject: ClassVar[str] = subjects.GROUP_SESSION_RECORDED
    type: Literal["group.session_recorded"] = "group.session_recorded"
    session_date: date = Field(description="Day of the session.")
    attendee_ids: tuple[str, ...] = Field(description="Members who came.")
    recorded_by: str = Field(description="Member id of the facilitator who recorded it.")


class GroupSessionReminded(MemberMatchEvent):
    """The facilitator (``member_id``) is reminded that a session was due and not recorded.

    Event id: life_event_id(match, 'session_reminded', session_number).
    """

    subject: ClassVar[str] = subjects.GROUP_SESSION_REMINDED
    type: Literal["group.session_reminded"] = "group.session_reminded"
    session_number: int = Field(ge=1, description="1 for the first session of the group.")
    due_on: date = Field(description="Day the session was due.")


class MatchFeedbackRequested(MemberMatchEvent):
    """The closing survey asked of a member (``reminder`` 0), then reminded (1, 2).

    Event id: life_event_id(match, member, 'feedback_requested', reminder).
    """

    subject: ClassVar[str] = subjects.MATCH_FEEDBACK_REQUESTED
    type: Literal["match.feedback_requested"] = "match.feedback_requested"
    reminder: int = Field(0, ge=0, le=2, description="0: the request; 1, 2: reminders.")


class MatchFeedbackGiven(MemberMatchEvent):
    """A member answered the closing survey (the comment never leaves the matcher)."""

    subject: ClassVar[str] = subjects.MATCH_FEEDBACK_GIVEN
    type: Literal["match.feedback_given"] = "match.feedback_given"
    satisfaction: int = Field(ge=1, le=5, description="1 (poor) to 5 (excellent).")
    would_recommend: bool = Field(description="Would recommend it to a colleague.")


class MatchClosed(MatchLifeEvent):
    """The match is closed and archived; it feeds the history later rounds avoid."""

    subject: ClassVar[str] = subjects.MATCH_CLOSED
    type: Literal["match.closed"] = "match.closed"
    reason: ClosingReason = Field(description="Why it was closed (a code).")
    member_ids: tuple[str, ...] = Field(description="Members of the match when it closed.")


class RoundRepaired(Event):
    """A published round was repaired with minimal change."""

    subject: ClassVar[str] = subjects.ROUND_REPAIRED
    type: Literal["round.repaired"] = "round.repaired"
    round_id: str
    kind: RoundKind
    changed_member_count: int = Field(ge=0, description="People whose match changed.")
    changed_match_ids: tuple[str, ...] = Field(description="Matches created or changed.")
    repaired_by: str = Field("", description="Coordinator's member id; empty for the policy.")


AnyLifeEvent = Annotated[
    MatchAccepted
    | MatchDeclined
    | MatchResponseReminded
    | MatchUnanswered
    | MatchCheckinRequested
    | MatchCheckinAnswered
    | GroupSessionRecorded
    | GroupSessionReminded
    | MatchFeedbackRequested
    | MatchFeedbackGiven
    | MatchClosed,
    Field(discriminator="type"),
]
life_event_adapter: TypeAdapter[AnyLifeEvent] = TypeAdapter(AnyLifeEvent)

LIFE_EVENTS: tuple[type[Event], ...] = (
    MatchAccepted,
    MatchDeclined,
    MatchResponseReminded,
    MatchUnanswered,
    MatchCheckinRequested,
    MatchCheckinAnswered,
    GroupSessionRecorded,
    GroupSessionReminded,
    MatchFeedbackRequested,
    MatchFeedbackGiven,
    MatchClosed,
    RoundRepaired,
)
