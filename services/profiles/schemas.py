"""HTTP schemas of the profiles service (pydantic v2, unknown fields rejected)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events import MatchingProfile

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class MemberCreate(MatchingProfile):
    """A new member: contact data plus the matching profile."""

    model_config = ConfigDict(frozen=False, extra="forbid")

    display_name: str = Field(min_length=1, max_length=120, description="Nom affiché.")
    email: str = Field(pattern=EMAIL_PATTERN, max_length=320)
    preferred_language: Literal["fr", "en"] = "fr"

    def matching_profile(self) -> MatchingProfile:
        return MatchingProfile.model_validate(
            self.model_dump(include=set(MatchingProfile.model_fields))
        )


class MemberPublic(MemberCreate):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    version: int
    created_at: datetime
    updated_at: datetime


class Page(BaseModel):
    items: list[MemberPublic]
    total: int
