"""The in-app inbox: a member reads their own entries and marks them read."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from services.notifier.adapters import inbox_repository
from services.notifier.api.schemas import InboxEntryPublic
from services.notifier.domain.errors import EntryNotFound
from shared.pagination import Page, PageRequest


def inbox(engine: Engine, member_id: str, page: PageRequest) -> Page[InboxEntryPublic]:
    """The member's own in-app entries, newest first (rendered once profiles answered)."""
    total, rows = inbox_repository.inbox(engine, member_id, page)
    entries = [
        InboxEntryPublic(
            id=r.id, match_id=r.payload.get("match_id", r.match_id),  # a notice: its match
            round_id=r.round_id, kind=r.kind, role=r.role,
            subject=(r.content or {}).get("subject"), body=(r.content or {}).get("body"),
            payload=r.payload, read=r.read_at is not None, created_at=r.created_at,
        )
        for r in rows
    ]  # fmt: skip
    return Page[InboxEntryPublic].of(entries, total, page)


def mark_read(engine: Engine, member_id: str, entry_id: str) -> None:
    if not inbox_repository.mark_read(engine, member_id, entry_id, datetime.now(UTC)):
        raise EntryNotFound(entry_id=entry_id)
