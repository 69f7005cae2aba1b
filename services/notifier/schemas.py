"""HTTP schemas of the notifier (pydantic v2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class InboxEntry(BaseModel):
    id: str
    match_id: str
    round_id: str
    kind: str = Field(description="Type of match event, e.g. 'match.mentoring_pair'.")
    role: str | None = Field(description="mentor, mentee, group_member, facilitator…")
    subject: str | None = Field(description="Rendered subject (null until profiles answered).")
    body: str | None = Field(description="Rendered text in the member's language.")
    payload: dict[str, Any] = Field(description="The match event as published.")
    read: bool
    created_at: datetime


class DeliveryRow(BaseModel):
    id: str
    match_id: str
    member_id: str
    channel: str
    role: str | None
    status: str = Field(description="pending, sending, sent, failed or skipped.")
    attempts: int
    reason: str | None = Field(description="Why it was skipped, failed or is being retried.")
    sent_at: datetime | None
    updated_at: datetime


class DeliveryLog(BaseModel):
    round_id: str
    counts: dict[str, int] = Field(description="Deliveries by status.")
    total: int
    deliveries: list[DeliveryRow]
