"""Use cases of the notifier: accept matches, the inbox, the coordinators' delivery log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from services.notifier import store
from services.notifier.domain.model import STATUSES
from services.notifier.domain.recipients import recipients
from services.notifier.errors import EntryNotFound
from services.notifier.schemas import DeliveryLog, DeliveryRow, InboxEntry
from shared.events import MatchEvent


def accept_match(engine: Engine, event: MatchEvent, settle_s: float = 0.0) -> int:
    """Record one delivery per (match, member, channel); a redelivered event adds nothing.

    Returns how many deliveries are new. Sending happens later, in the dispatcher.
    """
    payload: dict[str, Any] = event.model_dump(mode="json")
    who = recipients(payload)
    return store.accept(engine, payload, who, datetime.now(UTC), timedelta(seconds=settle_s))


def accept_matches(engine: Engine, events: list[MatchEvent], settle_s: float = 0.0) -> int:
    """:func:`accept_match` for a batch of events, in one transaction."""
    batch = [(p, recipients(p)) for p in (e.model_dump(mode="json") for e in events)]
    return store.accept_many(engine, batch, datetime.now(UTC), timedelta(seconds=settle_s))


def forget_member(engine: Engine, member_id: str) -> int:
    """GDPR erasure: the member's deliveries and inbox entries are deleted."""
    return store.forget_member(engine, member_id)


def inbox(engine: Engine, member_id: str) -> list[InboxEntry]:
    """The member's own in-app entries, newest first (rendered once profiles answered)."""
    return [
        InboxEntry(
            id=r.id,
            match_id=r.match_id,
            round_id=r.round_id,
            kind=r.kind,
            role=r.role,
            subject=(r.content or {}).get("subject"),
            body=(r.content or {}).get("body"),
            payload=r.payload,
            read=r.read_at is not None,
            created_at=r.created_at,
        )
        for r in store.inbox(engine, member_id)
    ]


def mark_read(engine: Engine, member_id: str, entry_id: str) -> None:
    if not store.mark_read(engine, member_id, entry_id, datetime.now(UTC)):
        raise EntryNotFound(f"Message {entry_id} introuvable dans votre boîte de réception.")


def delivery_log(engine: Engine, round_id: str) -> DeliveryLog:
    """Who was told, who was not and why, for one round."""
    counts, rows = store.round_log(engine, round_id)
    if not rows:
        raise EntryNotFound(f"Aucune annonce enregistrée pour le tour {round_id}.")
    return DeliveryLog(
        round_id=round_id,
        counts={s: counts.get(s, 0) for s in STATUSES},
        total=sum(counts.values()),
        deliveries=[
            DeliveryRow(
                id=r.id, match_id=r.match_id, member_id=r.member_id, channel=r.channel,
                role=r.role, status=r.status, attempts=r.attempts, reason=r.reason,
                sent_at=r.sent_at, updated_at=r.updated_at,
            )
            for r in rows
        ],
    )  # fmt: skip
