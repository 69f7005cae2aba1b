"""HTTP and event-facing schemas of the matcher (pydantic v2, unknown fields rejected)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.matcher.algorithms.groups import GroupWeights
from shared.events import RoundKind, RoundScope, RoundState


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommonParameters(Strict):
    lookback_days: int | None = Field(
        None, ge=1, description="Only pairs met within this many days count (None = forever)."
    )
    newcomer_months: int = Field(12, ge=1, le=120, description="Newcomer: joined within.")
    seed: int = Field(0, description="Makes the proposal reproducible.")


class MentoringWeights(Strict):
    skills: float = Field(1.0, ge=0)
    themes: float = Field(0.5, ge=0)
    cross_site: float = Field(0.5, ge=0)
    newcomer: float = Field(0.5, ge=0)
    seniority: float = Field(0.25, ge=0)


class MentoringParameters(CommonParameters):
    mode: Literal["best_total", "max_mentees"] = "best_total"
    weights: MentoringWeights = Field(default_factory=MentoringWeights)
    min_score: float | None = Field(None, description="Pairs scoring below are not proposed.")


_GW = GroupWeights()


class GroupsWeights(Strict):
    """Weights of the groups objective; defaults are the algorithm's own."""

    cohesion: float = Field(_GW.cohesion, ge=0)
    sites: float = Field(_GW.sites, ge=0)
    seniority: float = Field(_GW.seniority, ge=0)
    newcomers: float = Field(_GW.newcomers, ge=0)


class GroupsParameters(CommonParameters):
    min_size: int = Field(5, ge=2, le=50)
    max_size: int = Field(10, ge=2, le=50)
    target_size: int = Field(8, ge=2, le=50)
    weights: GroupsWeights = Field(default_factory=GroupsWeights)

    @model_validator(mode="after")
    def _sizes_are_ordered(self) -> GroupsParameters:
        if not self.min_size <= self.target_size <= self.max_size:
            raise ValueError("il faut min_size <= target_size <= max_size")
        return self


class RotationsParameters(CommonParameters):
    table_size: int = Field(10, ge=2, le=50)
    rounds: int = Field(3, ge=1, le=40, description="Seminar rounds (table changes).")
    max_site_share: float = Field(0.5, gt=0, le=1)
    replan_of: str | None = Field(
        None, description="Re-plan this rotations round: its first past_rounds stay as held."
    )
    past_rounds: int = Field(0, ge=0, description="Rounds already held (with replan_of).")


PARAMETERS: dict[str, type[CommonParameters]] = {
    "mentoring": MentoringParameters,
    "groups": GroupsParameters,
    "rotations": RotationsParameters,
}


class RoundCreate(Strict):
    """A coordinator's request for a round; the same ``client_request_id`` gives the same round."""

    client_request_id: str = Field(min_length=1, max_length=200)
    kind: RoundKind
    name: str = Field("", max_length=200)
    scope: RoundScope = Field(default_factory=RoundScope)
    parameters: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _parameters_fit_the_kind(self) -> RoundCreate:
        model = PARAMETERS[self.kind]
        self.parameters = model.model_validate(self.parameters).model_dump(mode="json")
        return self


class RoundPublic(Strict):
    id: str
    client_request_id: str
    kind: RoundKind
    name: str
    state: RoundState
    progress: float
    step: str
    scope: RoundScope
    parameters: dict[str, Any]
    adjustments: list[dict[str, Any]]
    report: dict[str, Any] | None
    error: str | None
    created_at: datetime
    updated_at: datetime


class MatchPublic(Strict):
    id: str
    round_id: str
    kind: RoundKind
    members: list[str]
    data: dict[str, Any]
    locked: bool


class RemoveMember(Strict):
    action: Literal["remove"]
    member_id: str


class LockMatch(Strict):
    action: Literal["lock"]
    match_id: str


class SwapMembers(Strict):
    action: Literal["swap"]
    member_a: str
    member_b: str


class AssignMentee(Strict):
    """Mentoring only: put ``mentee_id`` with ``mentor_id`` (and keep it)."""

    action: Literal["assign"]
    mentee_id: str
    mentor_id: str


Adjustment = Annotated[
    RemoveMember | LockMatch | SwapMembers | AssignMentee, Field(discriminator="action")
]


class AdjustmentRequest(Strict):
    adjustment: Adjustment
