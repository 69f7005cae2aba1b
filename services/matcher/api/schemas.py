"""HTTP request and response models of the matcher (pydantic v2, unknown fields rejected)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.matcher.domain import adjustments as adj
from services.matcher.domain import parameters
from services.matcher.domain.adjustments import as_record
from services.matcher.domain.closing import MAX_COMMENT, Course, Feedback
from services.matcher.domain.erasure import ERASED
from services.matcher.domain.kinds.base import MatchRecord
from services.matcher.domain.life import AnswerState, Participation
from services.matcher.domain.parameters import Parameters
from services.matcher.domain.round import Round
from services.matcher.service_layer.rounds import RoundRequest
from shared.events import Explanation, MatchingProfile, RoundKind, RoundScope, RoundState, Seat
from shared.vocabulary import Language, ProgressStep
from shared.vocabulary.codes import CheckinFit, ClosingReason, DeclineReason
from shared.vocabulary.explain import Labeler, sentence


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoundCreate(Strict):
    """A coordinator's request for a round; the same ``client_request_id`` gives the same round."""

    client_request_id: str = Field(min_length=1, max_length=200)
    kind: RoundKind
    name: str = Field("", max_length=200)
    scope: RoundScope = Field(default_factory=RoundScope)
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="The parameters of the round's kind (MentoringParameters, "
        "GroupsParameters or RotationsParameters); defaults fill what is left out.",
    )

    @model_validator(mode="after")
    def _parameters_fit_the_kind(self) -> RoundCreate:
        parameters.parse(self.kind, self.parameters)
        return self

    def to_request(self) -> RoundRequest:
        return RoundRequest(
            self.client_request_id, self.kind, self.name, self.scope,
            parameters.parse(self.kind, self.parameters),
        )  # fmt: skip


class RemoveMember(Strict):
    action: Literal["remove"]
    member_id: str

    def to_domain(self) -> adj.Adjustment:
        return adj.RemoveMember(self.member_id)


class LockMatch(Strict):
    action: Literal["lock"]
    match_id: str

    def to_domain(self) -> adj.Adjustment:
        return adj.LockMatch(self.match_id)


class SwapMembers(Strict):
    action: Literal["swap"]
    member_a: str
    member_b: str

    def to_domain(self) -> adj.Adjustment:
        return adj.SwapMembers(self.member_a, self.member_b)


class AssignMentee(Strict):
    """Mentoring only: put ``mentee_id`` with ``mentor_id`` (and keep it)."""

    action: Literal["assign"]
    mentee_id: str
    mentor_id: str

    def to_domain(self) -> adj.Adjustment:
        return adj.AssignMentee(self.mentee_id, self.mentor_id)


AdjustmentBody = Annotated[
    RemoveMember | LockMatch | SwapMembers | AssignMentee, Field(discriminator="action")
]


class AdjustmentRequest(Strict):
    adjustment: AdjustmentBody


class RoundReport(BaseModel):
    """Quality figures of a proposal; the sections depend on the kind of round
    (mentoring: ``solver``, coverage...; groups: ``quality``; rotations: ``figures``)."""

    model_config = ConfigDict(extra="allow")

    headline: dict[str, float] = Field(
        default_factory=dict, description="The few figures that sum the proposal up."
    )


class RoundPublic(Strict):
    id: str
    client_request_id: str
    kind: RoundKind
    name: str
    state: RoundState
    progress: float
    step: ProgressStep
    scope: RoundScope
    parameters: Parameters
    adjustments: list[AdjustmentBody]
    report: RoundReport | None
    error: str | None = Field(description="Why the round failed (a message code).")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, r: Round) -> RoundPublic:
        return cls.model_validate(
            {
                **{k: getattr(r, k) for k in ("id", "client_request_id", "kind", "name")},
                **{k: getattr(r, k) for k in ("state", "progress", "step", "scope", "error")},
                "parameters": r.parameters,
                "adjustments": [as_record(a) for a in r.adjustments],
                "report": r.report,
                "created_at": r.created_at,
                "updated_at": r.updated_at,
            }
        )


class MatchData(BaseModel):
    """What a match holds, by kind: a mentoring pair, a group, or a person's seats."""

    model_config = ConfigDict(extra="ignore")

    explanation: Explanation = Field(default_factory=Explanation)
    mentor_id: str | None = None
    mentee_id: str | None = None
    facilitator_id: str | None = None
    theme: str | None = None
    sites: list[str] | None = None
    seats: list[Seat] | None = None


class ErasedMember(BaseModel):
    """In place of a member whose data was erased: no id, no name."""

    erased: Literal[True] = True


class MatchPublic(Strict):
    id: str
    round_id: str
    kind: RoundKind
    members: list[str | ErasedMember]
    data: MatchData
    locked: bool
    explanation: str = Field(description="Why this match, in the caller's language.")

    @classmethod
    def of(cls, m: MatchRecord, language: Language, label: Labeler) -> MatchPublic:
        data = MatchData.model_validate(m.data)
        return cls(
            id=m.id, round_id=m.round_id, kind=m.kind, members=shown(m.members), data=data,  # type: ignore[arg-type]
            locked=m.locked, explanation=sentence(data.explanation.reasons, language, label),
        )  # fmt: skip


def shown(members: tuple[str, ...] | list[str]) -> list[str | ErasedMember]:
    """Member ids, with a tombstone in place of each erased member."""
    return [ErasedMember() if m == ERASED else m for m in members]


class MemberCount(BaseModel):
    members: int


class MemberPublic(BaseModel):
    id: str
    version: int
    profile: MatchingProfile


# -- the life of a published match --------------------------------------------------------


class AnswerRequest(Strict):
    """Accept, or decline with a reason (the reason is a code, never free text)."""

    accept: bool
    reason: DeclineReason | None = Field(None, description="Required to decline.")


class CheckinRequest(Strict):
    """The answer to "did you meet?"."""

    met: bool
    fit: CheckinFit


class ParticipationPublic(BaseModel):
    """One member's part in a published match: their answer, its deadline, the check-in."""

    match_id: str
    round_id: str
    kind: RoundKind
    member_id: str
    state: AnswerState
    reason: DeclineReason | None
    deadline: datetime
    answered_at: datetime | None
    met: bool | None
    fit: CheckinFit | None
    checked_in_at: datetime | None

    @classmethod
    def of(cls, p: Participation) -> ParticipationPublic:
        return cls.model_validate(p, from_attributes=True)


class MatchAnswersPublic(BaseModel):
    match_id: str
    counts: dict[str, int]
    people: list[ParticipationPublic]


class RoundAnswers(BaseModel):
    """A round's answers for coordinators: overall counts and each match's."""

    round_id: str
    counts: dict[str, int] = Field(description="accepted, declined, pending, unanswered.")
    matches: list[MatchAnswersPublic]


class ClockAdvance(Strict):
    seconds: float = Field(gt=0, le=400 * 86_400, description="How far to move forward.")


class ClockPublic(BaseModel):
    now: datetime
    offset_s: float
# -- repairs of published rounds (issue 12) ---------------------------------------------


class RepairRequest(Strict):
    """Who left a published round; the round keeps every match they were not in."""

    departed: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list,
        max_length=1000,
        description="Member ids who declined or left (with the departures already recorded).",
    )
    reason: Literal["declined", "deactivated", "erased", "coordinator"] = "coordinator"
    held_rotations: int = Field(
        0, ge=0, le=40, description="Rotations: how many were already held (kept as they were)."
    )


class RepairReport(BaseModel):
    """What a repair changed: who, which matches, and the quality before and after."""

    model_config = ConfigDict(extra="allow")

    revision: int
    reason: str
    departed_count: int
    changed_count: int = Field(description="People whose match changed (departed excluded).")
    changed_people: list[str]
    new_match_ids: list[str]
    ended_match_ids: list[str]
    before: dict[str, float | None] = Field(default_factory=dict)
    after: dict[str, float | None] = Field(default_factory=dict)


class Departure(BaseModel):
    member_id: str
    reason: str
    recorded_at: datetime
    repaired_in: int | None = Field(description="Revision of the repair that handled it.")


class RepairsPublic(BaseModel):
    """A round's revision, who left it, and the report of each repair (oldest first)."""

    revision: int
    auto_repair: bool
    departures: list[Departure]
    repairs: list[RepairReport]


class SessionRequest(BaseModel):
    """A session of a group, recorded by its facilitator."""

    model_config = ConfigDict(extra="forbid")
    session_date: date
    attendee_ids: list[str] = Field(max_length=200)


class SessionPublic(BaseModel):
    session_date: date
    attendee_ids: list[str]
    recorded_by: str


class CoursePublic(BaseModel):
    """A match's course: its dates, a group's rhythm and sessions, its closing."""

    match_id: str
    round_id: str
    kind: RoundKind
    member_ids: list[str]
    facilitator_id: str | None
    starts_on: date
    ends_on: date
    rhythm_weeks: int | None
    due_sessions: list[date]
    sessions: list[SessionPublic]
    closed_at: datetime | None
    closed_reason: ClosingReason | None

    @classmethod
    def of(cls, c: Course) -> CoursePublic:
        return cls(
            match_id=c.match_id, round_id=c.round_id, kind=c.kind, member_ids=list(c.member_ids),
            facilitator_id=c.facilitator_id, starts_on=c.starts_on, ends_on=c.ends_on,
            rhythm_weeks=c.rhythm_weeks, due_sessions=c.due_sessions(),
            sessions=[SessionPublic(session_date=s.session_date,
                                    attendee_ids=list(s.attendee_ids),
                                    recorded_by=s.recorded_by) for s in c.sessions],
            closed_at=c.closed_at, closed_reason=c.closed_reason,
        )  # fmt: skip


class FeedbackRequest(BaseModel):
    """The closing survey: the comment is read by HR only and never sent in an event."""

    model_config = ConfigDict(extra="forbid")
    satisfaction: int = Field(ge=1, le=5)
    would_recommend: bool
    comment: str = Field("", max_length=MAX_COMMENT)


class FeedbackPublic(BaseModel):
    match_id: str
    member_id: str
    requested_at: datetime
    satisfaction: int | None
    would_recommend: bool | None
    comment: str
    answered_at: datetime | None

    @classmethod
    def of(cls, f: Feedback) -> FeedbackPublic:
        return cls.model_validate(f, from_attributes=True)
