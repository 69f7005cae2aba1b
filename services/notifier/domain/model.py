"""Plain data of the notifier domain."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Channel = Literal["email", "chat", "inapp"]
CHANNELS: tuple[Channel, ...] = ("email", "chat", "inapp")
Role = Literal["mentor", "mentee", "group_member", "facilitator", "seminar_attendee", "notice"]
Status = Literal["pending", "claimed", "sending", "sent", "failed", "skipped"]
STATUSES: tuple[Status, ...] = ("pending", "claimed", "sending", "sent", "failed", "skipped")
Language = Literal["fr", "en"]
DEFAULT_CHANNELS: tuple[Channel, ...] = ("email", "inapp")


@dataclass(frozen=True, slots=True)
class Contact:
    """What profiles tells us about a member at send time (defaults when a field is missing)."""

    member_id: str
    display_name: str
    email: str = ""
    language: Language = "fr"
    channels: tuple[Channel, ...] = DEFAULT_CHANNELS
    chat_webhook_url: str | None = None
    paused_until: date | None = None


@dataclass(frozen=True, slots=True)
class Rendered:
    """One message ready for a channel: subject, plain-text body, optional invitation."""

    subject: str
    body: str
    ics: str | None = None
    ics_name: str = "invitation.ics"


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether to send on a channel; ``reason`` (a message code) says why not."""

    send: bool
    reason: str = ""
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a delivery is in its state: a message code and its parameters (never text)."""

    code: str
    params: Mapping[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Meeting:
    """A suggested first meeting (UTC datetimes)."""

    start: datetime
    end: datetime
    summary: str
    description: str
    attendees: tuple[tuple[str, str], ...] = field(default=())  # (name, email)
