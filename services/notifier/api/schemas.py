"""HTTP schemas of the notifier (pydantic v2): inbox entries and the delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.notifier.domain.model import Channel, Role, Status
from shared.events import AnyMatchEvent
from shared.life_events import AnyLifeEvent
from shared.pagination import Page


class InboxEntryPublic(BaseModel):
    id: str
    match_id: str
    round_id: str
    kind: str = Field(
        description="Type of the event, e.g. 'match.mentoring_pair', 'match.response_reminded'."
    )
    role: Role | None = Field(description="mentor, mentee, group_member, facilitator, notice…")
    subject: str | None = Field(description="Rendered subject (null until profiles answered).")
    body: str | None = Field(description="Rendered text in the member's language.")
    payload: AnyMatchEvent | AnyLifeEvent = Field(
        description="The match event as published, or the notice of its life (a reminder…)."
    )
    read: bool
    created_at: datetime


class DeliveryPublic(BaseModel):
    id: str
    match_id: str
    member_id: str
    channel: Channel
    role: Role | None
    status: Status = Field(description="pending, claimed, sending, sent, failed or skipped.")
    attempts: int
    reason: str | None = Field(
        description="Code of why it was skipped, failed or is being retried (member_paused…)."
    )
    reason_params: dict[str, str | int] | None = Field(description="Parameters of the reason.")
    reason_text: str | None = Field(description="The reason in the caller's language.")
    sent_at: datetime | None
    updated_at: datetime


class DeliveryLog(Page[DeliveryPublic]):
    """One page of a round's deliveries, with the counts of the whole round."""

    round_id: str
    counts: dict[Status, int] = Field(description="Deliveries by status (the whole round).")


class SignInLinkMessage(BaseModel):
    """A sign-in link to send by e-mail (asked for by the portal with a service token)."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    language: Literal["fr", "en"] = "fr"
    link: str = Field(max_length=2000, pattern=r"^https?://\S+$")
    expires_minutes: int = Field(15, ge=1, le=1440)
