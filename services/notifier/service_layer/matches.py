"""Accepting published matches (one delivery per match, member and channel) and erasure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from services.notifier.adapters import inbox_repository, repository
from services.notifier.domain.recipients import recipients
from shared.events import MatchEvent


def accept_match(engine: Engine, event: MatchEvent, settle_s: float = 0.0) -> int:
    """Record one delivery per (match, member, channel); a redelivered event adds nothing.

    Returns how many deliveries are new. Sending happens later, in the dispatcher.
    """
    payload: dict[str, Any] = event.model_dump(mode="json")
    who = recipients(payload)
    return repository.accept(engine, payload, who, datetime.now(UTC), timedelta(seconds=settle_s))


def accept_matches(engine: Engine, events: list[MatchEvent], settle_s: float = 0.0) -> int:
    """:func:`accept_match` for a batch of events, in one transaction."""
    batch = [(p, recipients(p)) for p in (e.model_dump(mode="json") for e in events)]
    return repository.accept_many(engine, batch, datetime.now(UTC), timedelta(seconds=settle_s))


def forget_member(engine: Engine, member_id: str) -> int:
    """GDPR erasure: the member's deliveries and inbox entries are deleted."""
    return inbox_repository.forget_member(engine, member_id)
