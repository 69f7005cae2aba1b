"""Event contracts of Entraide: frozen Pydantic v2 models, one envelope for all.

Events are named in the past tense and carry **no contact data** (no name, no email,
no free text): member ids plus the attributes matching needs. The notifier resolves
contact details from profiles at send time.

Member events carry a per-member ``version`` (1, 2, 3, ...): consumers discard a
version they have already passed, so redeliveries and reordering are harmless.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from shared import subjects

SCHEMA_VERSION = 1


#: ``producer`` of the events a simulation plays (``entraide demo``'s months of history,
#: :mod:`deploy.local.programme`): they feed the statistics like real ones, and the
#: notifier tells nobody of them (they happened in a simulated past).
SIMULATION_PRODUCER = "demo-simulation"


def new_event_id() -> str:
    """A fresh event id (UUID4, 32 hex chars); also the JetStream ``Nats-Msg-Id``."""
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Event(Frozen):
    """The envelope every event shares."""

    subject: ClassVar[str]

    event_id: str = Field(default_factory=new_event_id, description="Unique id; Nats-Msg-Id.")
    type: str = Field(description="Event type, e.g. 'member.registered'.")
    schema_version: int = Field(SCHEMA_VERSION, description="Version of this event's schema.")
    occurred_at: datetime = Field(default_factory=utcnow, description="When it happened (UTC).")
    producer: str = Field(description="Service that emitted the event.")


# -- members --------------------------------------------------------------------------


class Availability(Frozen):
    frequency: Literal["weekly", "fortnightly", "monthly", "quarterly"] = Field(
        "monthly", description="How often the member can meet."
    )
    mode: Literal["remote", "on_site", "either"] = Field("either", description="Meeting mode.")


class OptIns(Frozen):
    mentor: bool = Field(False, description="Willing to mentor.")
    mentor_capacity: int = Field(0, ge=0, le=5, description="Mentees accepted at once (1-5).")
    mentee: bool = Field(False, description="Wants a mentor.")
    groups: bool = Field(False, description="Joins practice-exchange groups.")
    seminars: bool = Field(False, description="Attends seminars (world café, speed dating).")
    facilitator: bool = Field(False, description="Volunteers to facilitate a group.")


class MatchingProfile(Frozen):
    """What matching needs to know about a member (no contact data)."""

    site: str = Field(description="Site (e.g. 'Lyon Part-Dieu').")
    department: str = ""
    function: str = Field("", description="Job function code or label.")
    manager_id: str | None = Field(
        None,
        description=(
            "Key of the direct manager: a member id, or 'mgr:<HR key>' for a manager "
            "who is not a member (organisation reference data)."
        ),
    )
    team: str | None = Field(None, description="HR team code (organisation reference data).")
    management_line: tuple[str, ...] = Field(
        (),
        description=(
            "Keys of every manager above the member, direct manager first (member ids "
            "or 'mgr:<HR key>'), from the organisation graph HR imports."
        ),
    )
    start_date: date | None = Field(None, description="Start date in the company.")
    languages: tuple[str, ...] = Field(("fr",), description="Languages spoken (ISO 639-1).")
    skills: dict[str, Annotated[int, Field(ge=0, le=4)]] = Field(
        default_factory=dict, description="Skill code -> level 0-4."
    )
    skills_wanted: tuple[str, ...] = Field((), description="Skill codes the member wants.")
    themes: tuple[str, ...] = Field((), description="Themes of interest (codes).")
    availability: Availability = Field(default_factory=Availability)
    opt_ins: OptIns = Field(default_factory=OptIns)
    paused_until: date | None = Field(None, description="Not matched before this date.")
    left_on: date | None = Field(
        None, description="Left the company on this day (HR deactivation): never matched again."
    )


class MemberEvent(Event):
    member_id: str = Field(description="The member this event is about.")
    version: int = Field(ge=1, description="Per-member version; stale ones are discarded.")


class MemberRegistered(MemberEvent):
    subject: ClassVar[str] = subjects.MEMBER_REGISTERED
    type: Literal["member.registered"] = "member.registered"
    profile: MatchingProfile


class MemberProfileUpdated(MemberEvent):
    """Full snapshot of the matching attributes after a change."""

    subject: ClassVar[str] = subjects.MEMBER_PROFILE_UPDATED
    type: Literal["member.profile_updated"] = "member.profile_updated"
    profile: MatchingProfile


class MemberErased(MemberEvent):
    """GDPR erasure: every consumer deletes what it holds about the member."""

    subject: ClassVar[str] = subjects.MEMBER_ERASED
    type: Literal["member.erased"] = "member.erased"


class MemberDeactivated(MemberEvent):
    """HR deactivated the member (they left the company): a departure from every
    published round they are in; never matched again. The snapshot carries ``left_on``."""

    subject: ClassVar[str] = subjects.MEMBER_DEACTIVATED
    type: Literal["member.deactivated"] = "member.deactivated"
    profile: MatchingProfile


# -- rounds ---------------------------------------------------------------------------

RoundKind = Literal["mentoring", "groups", "rotations"]
RoundState = Literal["requested", "running", "proposed", "published", "cancelled", "failed"]


class RoundScope(Frozen):
    sites: tuple[str, ...] = Field((), description="Only these sites (empty = all).")
    functions: tuple[str, ...] = Field((), description="Only these functions (empty = all).")


class RoundRequested(Event):
    subject: ClassVar[str] = subjects.ROUND_REQUESTED
    type: Literal["round.requested"] = "round.requested"
    client_request_id: str = Field(description="Idempotency key chosen by the requester.")
    kind: RoundKind
    name: str = ""
    scope: RoundScope = Field(default_factory=RoundScope)
    parameters: dict[str, Any] = Field(default_factory=dict)
    requested_by: str = Field("", description="Member id of the coordinator.")


class RoundProgressed(Event):
    subject: ClassVar[str] = subjects.ROUND_PROGRESS
    type: Literal["round.progress"] = "round.progress"
    round_id: str
    state: RoundState
    progress: float = Field(ge=0.0, le=1.0)
    step: str = ""


class RoundProposed(Event):
    subject: ClassVar[str] = subjects.ROUND_PROPOSED
    type: Literal["round.proposed"] = "round.proposed"
    round_id: str
    kind: RoundKind
    figures: dict[str, float] = Field(default_factory=dict, description="Headline quality.")


class RoundPublished(Event):
    subject: ClassVar[str] = subjects.ROUND_PUBLISHED
    type: Literal["round.published"] = "round.published"
    round_id: str
    kind: RoundKind
    match_count: int = Field(ge=0)


# -- matches (one event per match, emitted on publication) ------------------------------


class Explanation(Frozen):
    """Why a match was made: weighted term contributions and reason codes."""

    score: float = 0.0
    terms: dict[str, float] = Field(default_factory=dict, description="Term -> contribution.")
    reasons: tuple[str, ...] = Field((), description="Reason codes with arguments.")


class MatchEvent(Event):
    match_id: str = Field(description="Stable id of the match (idempotency of deliveries).")
    round_id: str
    revision: int = Field(
        0, ge=0, description="The round's revision: 0 at publication, then 1, 2... per repair."
    )
    replaces: tuple[str, ...] = Field(
        (), description="Matches of the round this one replaces (a repair); empty otherwise."
    )

    @property
    def member_ids(self) -> tuple[str, ...]:  # pragma: no cover - overridden
        raise NotImplementedError


class MentoringPairMatched(MatchEvent):
    subject: ClassVar[str] = subjects.MATCH_MENTORING_PAIR
    type: Literal["match.mentoring_pair"] = "match.mentoring_pair"
    mentor_id: str
    mentee_id: str
    explanation: Explanation = Field(default_factory=Explanation)

    @property
    def member_ids(self) -> tuple[str, ...]:
        return (self.mentor_id, self.mentee_id)


class GroupMatched(MatchEvent):
    subject: ClassVar[str] = subjects.MATCH_GROUP
    type: Literal["match.group"] = "match.group"
    members: tuple[str, ...] = Field(min_length=1)
    facilitator_id: str | None = None
    theme: str = ""
    explanation: Explanation = Field(default_factory=Explanation)

    @property
    def member_ids(self) -> tuple[str, ...]:
        return self.members


class Seat(Frozen):
    seminar_round: int = Field(ge=0)
    table: int = Field(ge=0)
    tablemates: tuple[str, ...] = ()


class RotationMatched(MatchEvent):
    """One attendee's seating plan for a whole seminar."""

    subject: ClassVar[str] = subjects.MATCH_ROTATION
    type: Literal["match.rotation"] = "match.rotation"
    member_id: str
    seats: tuple[Seat, ...]

    @property
    def member_ids(self) -> tuple[str, ...]:
        return (self.member_id,)


class MatchSuperseded(MatchEvent):
    """A repair ended a match; ``members`` are those of its members left with no new match
    in the round (they are told it is cancelled; the others get their new match)."""

    subject: ClassVar[str] = subjects.MATCH_SUPERSEDED
    type: Literal["match.superseded"] = "match.superseded"
    superseded_match_id: str = Field(description="The match that ended.")
    kind: RoundKind
    members: tuple[str, ...] = Field(description="Members to tell (no new match for them).")
    reason: str = Field(description="Why (a code: declined, deactivated, erased, coordinator).")

    @property
    def member_ids(self) -> tuple[str, ...]:
        return self.members


# -- notifications ----------------------------------------------------------------------

Channel = Literal["email", "chat", "inapp"]


class Delivered(Frozen):
    delivery_id: str = Field(
        description="The delivery's id: a batch republished after a crash may be cut "
        "differently (another event_id), so consumers deduplicate on this id."
    )
    match_id: str
    member_id: str
    channel: Channel


class NotificationDelivered(Event):
    """Deliveries of one round committed as sent, announced together: one event per batch
    (up to 500) instead of one per e-mail, whose publication cost the notifier ~10 % of
    its CPU per e-mail (issue 14). Version 2; version 1 carried one delivery's fields."""

    subject: ClassVar[str] = subjects.NOTIFICATION_DELIVERED
    type: Literal["notification.delivered"] = "notification.delivered"
    schema_version: int = Field(2, description="Version of this event's schema.")
    round_id: str
    deliveries: tuple[Delivered, ...] = Field(min_length=1, description="What was sent.")


class NotificationFailed(Event):
    subject: ClassVar[str] = subjects.NOTIFICATION_FAILED
    type: Literal["notification.failed"] = "notification.failed"
    match_id: str
    round_id: str
    member_id: str
    channel: Channel
    attempts: int = Field(ge=1)
    reason: str


AnyMemberEvent = Annotated[
    MemberRegistered | MemberProfileUpdated | MemberErased | MemberDeactivated,
    Field(discriminator="type"),
]
AnyMatchEvent = Annotated[
    MentoringPairMatched | GroupMatched | RotationMatched | MatchSuperseded,
    Field(discriminator="type"),
]
member_event_adapter: TypeAdapter[AnyMemberEvent] = TypeAdapter(AnyMemberEvent)
match_event_adapter: TypeAdapter[AnyMatchEvent] = TypeAdapter(AnyMatchEvent)

ALL_EVENTS: tuple[type[Event], ...] = (
    MemberRegistered,
    MemberProfileUpdated,
    MemberErased,
    MemberDeactivated,
    RoundRequested,
    RoundProgressed,
    RoundProposed,
    RoundPublished,
    MentoringPairMatched,
    GroupMatched,
    RotationMatched,
    MatchSuperseded,
    NotificationDelivered,
    NotificationFailed,
)
