"""The deliveries one message covers (plain data read back from the store).

A delivery is one (match, member, channel); the rows of one member, round and channel
make one message (:func:`message_key`), as the cap of one message per member, round
and channel requires.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.notifier.domain.model import Role

#: The reason code of a delivery taken over after a crash (its send was never committed).
RESUMED = "resumed"


def message_key(round_id: str, member_id: str, channel: str) -> str:
    """Idempotency key of the one message a member gets per round and channel."""
    return hashlib.sha256(f"{round_id}\x1f{member_id}\x1f{channel}".encode()).hexdigest()[:40]


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    match_id: str
    round_id: str
    member_id: str
    channel: str
    role: Role
    attempts: int
    payload: dict[str, Any]
    resumed: bool
    #: When the delivery was recorded (its retries end a horizon after it).
    created_at: datetime | None = None
    #: The correlation id of the event that caused it.
    correlation_id: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """The rows one message covers (same member, round and channel)."""

    key: str
    member_id: str
    round_id: str
    channel: str
    rows: tuple[Row, ...]
    already_told: bool

    @property
    def attempts(self) -> int:
        return max(r.attempts for r in self.rows)

    @property
    def correlation_id(self) -> str | None:
        """The correlation id the message carries: its first delivery's that has one."""
        return next((r.correlation_id for r in self.rows if r.correlation_id), None)

    @property
    def recorded_at(self) -> datetime | None:
        """When the oldest delivery of this message was recorded."""
        times = [r.created_at for r in self.rows if r.created_at is not None]
        return min(times) if times else None
