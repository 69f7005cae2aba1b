"""The parameters of a round: exactly one model per kind, for HTTP and events alike.

``POST /rounds`` and the ``round.requested`` handler both go through :func:`parse`; the
defaults of the weights are the algorithms' own (read from their dataclasses, never
copied by hand).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.matcher.algorithms.groups import GroupWeights
from services.matcher.algorithms.mentoring import ScoreWeights
from shared.events import RoundKind

_SW, _GW = ScoreWeights(), GroupWeights()


MemberKey = Annotated[str, Field(min_length=1, max_length=64)]


#: Largest look-back: a century (a date arithmetic on 10**9 days overflows).
MAX_LOOKBACK_DAYS = 36_500
#: Largest weight: far above any useful one, small enough for float sums to stay exact.
MAX_WEIGHT = 1_000.0


class Strict(BaseModel):
    """Unknown fields are refused; so are NaN and infinities in every float."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class CommonParameters(Strict):
    lookback_days: int | None = Field(
        None,
        ge=1,
        le=MAX_LOOKBACK_DAYS,
        description="Only pairs met within this many days count (None = forever).",
    )
    newcomer_months: int = Field(12, ge=1, le=120, description="Newcomer: joined within.")
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Makes the proposal reproducible.")
    response_days: int = Field(
        7, ge=1, le=60, description="Days members have to accept or decline once published."
    )
    checkin_days: int = Field(
        14, ge=1, le=365, description="Days after publication when 'did you meet?' is asked."
    )
    auto_repair: bool = Field(
        False,
        description="Once published, repair the round as soon as someone declines or leaves.",
    )
    forbidden_pairs: list[tuple[MemberKey, MemberKey]] = Field(
        default_factory=list,
        max_length=10_000,
        description="Pairs of member ids the coordinators never want matched or seated together.",
    )


class MentoringWeights(Strict):
    """Weights of the mentoring score; defaults are the algorithm's own."""

    skills: float = Field(_SW.skills, ge=0, le=MAX_WEIGHT)
    themes: float = Field(_SW.themes, ge=0, le=MAX_WEIGHT)
    cross_site: float = Field(_SW.cross_site, ge=0, le=MAX_WEIGHT)
    newcomer: float = Field(_SW.newcomer, ge=0, le=MAX_WEIGHT)
    seniority: float = Field(_SW.seniority, ge=0, le=MAX_WEIGHT)


class MentoringParameters(CommonParameters):
    mode: Literal["best_total", "max_mentees"] = "best_total"
    duration_months: int = Field(
        6, ge=1, le=24, description="Months a mentorship lasts; then the survey and closing."
    )
    weights: MentoringWeights = Field(default_factory=MentoringWeights)
    min_score: float | None = Field(
        None, ge=-MAX_WEIGHT, le=MAX_WEIGHT, description="Pairs scoring below are not proposed."
    )


class GroupsWeights(Strict):
    """Weights of the groups objective; defaults are the algorithm's own."""

    cohesion: float = Field(_GW.cohesion, ge=0, le=MAX_WEIGHT)
    sites: float = Field(_GW.sites, ge=0, le=MAX_WEIGHT)
    seniority: float = Field(_GW.seniority, ge=0, le=MAX_WEIGHT)
    newcomers: float = Field(_GW.newcomers, ge=0, le=MAX_WEIGHT)


class GroupsParameters(CommonParameters):
    min_size: int = Field(5, ge=2, le=50)
    max_size: int = Field(10, ge=2, le=50)
    target_size: int = Field(8, ge=2, le=50)
    weights: GroupsWeights = Field(default_factory=GroupsWeights)
    start: date | None = Field(
        None, description="Day of the groups' first session (None: the day of publication)."
    )
    rhythm_weeks: int = Field(4, ge=1, le=12, description="Weeks between two sessions.")
    duration_months: int = Field(
        6, ge=3, le=12, description="Months a group lives (3 to 12); then survey and closing."
    )

    @model_validator(mode="after")
    def _sizes_are_ordered(self) -> GroupsParameters:
        if not self.min_size <= self.target_size <= self.max_size:
            raise ValueError("min_size <= target_size <= max_size")
        return self

    @model_validator(mode="after")
    def _rhythm_fits(self) -> GroupsParameters:
        if self.rhythm_weeks * 7 >= self.duration_months * 28:
            raise ValueError("rhythm_weeks: at least two sessions must fit in duration_months")
        return self


class RotationsParameters(CommonParameters):
    table_size: int = Field(10, ge=2, le=50)
    rounds: int = Field(3, ge=1, le=40, description="Seminar rounds (table changes).")
    max_site_share: float = Field(0.5, gt=0, le=1)
    replan_of: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="Re-plan this rotations round: its first past_rounds stay as held.",
    )
    past_rounds: int = Field(0, ge=0, le=40, description="Rounds already held (with replan_of).")


Parameters = MentoringParameters | GroupsParameters | RotationsParameters

PARAMETERS: dict[str, type[Parameters]] = {
    "mentoring": MentoringParameters,
    "groups": GroupsParameters,
    "rotations": RotationsParameters,
}


def parse(kind: RoundKind | str, raw: Mapping[str, Any] | BaseModel) -> Parameters:
    """The parameters of a ``kind`` round (pydantic ``ValidationError`` if they don't fit)."""
    if isinstance(raw, BaseModel):
        raw = raw.model_dump(mode="json")
    return PARAMETERS[kind].model_validate(dict(raw))
