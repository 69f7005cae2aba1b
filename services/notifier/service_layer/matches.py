"""Accepting published matches: one delivery per match, member and channel.

A match event computed before a member's erasure but received after it (the matcher
had not yet heard of the erasure) is rewritten first: nothing is recorded for the
erased member and the others' payloads no longer hold their id.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from services.notifier.adapters import erasure_repository, repository
from services.notifier.domain.erasure import erased_after, without_members
from services.notifier.domain.model import Role
from services.notifier.domain.notices import is_notice
from services.notifier.domain.recipients import people_named, recipients
from shared import correlation
from shared.events import SIMULATION_PRODUCER, Event, MatchEvent

#: Match events that tell their people: the announcements, and a repair's cancellation
#: (``match.superseded``: the match ended and no new one replaces it for them).
ANNOUNCEMENTS = frozenset(
    {"match.mentoring_pair", "match.group", "match.rotation", "match.superseded"}
)


def is_told(payload: dict[str, Any]) -> bool:
    """Whether an event tells anyone (an announcement, a cancellation or a notice); the
    events of a simulation (``entraide demo``'s history) tell nobody."""
    if payload.get("producer") == SIMULATION_PRODUCER:
        return False
    return is_notice(payload) or payload["type"] in ANNOUNCEMENTS

Batch = list[tuple[dict[str, Any], Sequence[tuple[str, Role]]]]


def accept_match(engine: Engine, event: MatchEvent, settle_s: float = 0.0) -> int:
    """Record one delivery per (match, member, channel); a redelivered event adds nothing.

    Returns how many deliveries are new. Sending happens later, in the dispatcher.
    """
    return accept_matches(engine, [event], settle_s)


def accept_matches(
    engine: Engine,
    events: Sequence[Event],
    settle_s: float = 0.0,
    correlations: Sequence[str | None] | None = None,
) -> int:
    """:func:`accept_match` for a batch of events, in one transaction.

    Notices of the life of a match (reminders, check-ins) go the same way: one
    delivery per (match and notice, member, channel); other life events tell nobody.
    ``correlations`` holds each event's correlation id (default: the current one)."""
    if correlations is None:
        correlations = [correlation.current()] * len(events)
    payloads = [e.model_dump(mode="json") for e in events]
    told = [(p, c) for p, c in zip(payloads, correlations, strict=True) if is_told(p)]
    batch: Batch = [(p, recipients(p)) for p, _ in told]
    batch = _without_erased(engine, batch)  # one entry per entry, in order
    return repository.accept_many(
        engine, batch, datetime.now(UTC), timedelta(seconds=settle_s), [c for _, c in told]
    )


def _without_erased(engine: Engine, batch: Batch) -> Batch:
    everyone = {m for p, who in batch for m in [*(w for w, _ in who), *people_named(p, "")]}
    erasures = erasure_repository.erasures(engine, everyone)
    if not erasures:
        return batch
    result: Batch = []
    for payload, who in batch:
        gone = erased_after(erasures, datetime.fromisoformat(payload["occurred_at"]))
        if gone:
            payload, who = without_members(payload, gone), [w for w in who if w[0] not in gone]
        result.append((payload, who))
    return result
