"""The outbox: ``notification.delivered`` / ``notification.failed`` from the deliveries table.

Rows that changed are published with a ``Nats-Msg-Id`` derived from the row, so a
republish after a crash is dropped by JetStream; failed ones also go to the dead
letters. The event's ``reason`` is a code (``gave_up:smtp_failed``), never a sentence.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from services.notifier import SERVICE
from services.notifier.adapters import repository
from shared import correlation
from shared.events import NotificationDelivered, NotificationFailed

Publish = Callable[[str, bytes, dict[str, str]], Awaitable[None]]
DeadLetter = Callable[[bytes, str], Awaitable[None]]


def event_reason(code: str | None, params: dict[str, Any] | None) -> str:
    """The reason as events carry it: ``code`` or ``code:cause``.

    >>> event_reason("gave_up", {"cause": "smtp_failed", "attempts": 2})
    'gave_up:smtp_failed'
    """
    cause = (params or {}).get("cause")
    return f"{code or 'unknown'}:{cause}" if cause else (code or "unknown")


def _event(row: Any) -> NotificationDelivered | NotificationFailed:
    common = dict(
        event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{row.id}/{row.status}").hex,
        producer=SERVICE, match_id=row.match_id, round_id=row.round_id,
        member_id=row.member_id, channel=row.channel,
    )  # fmt: skip
    if row.status == "sent":
        return NotificationDelivered(**common)
    return NotificationFailed(**common, attempts=max(1, row.attempts),
                              reason=event_reason(row.reason, row.reason_params))  # fmt: skip


async def publish_row(row: Any, publish: Publish, dead_letter: DeadLetter) -> None:
    event = _event(row)
    body = event.model_dump_json().encode()
    headers = correlation.headers_with({"Nats-Msg-Id": event.event_id}, row.correlation_id)
    await publish(event.subject, body, headers)
    if isinstance(event, NotificationFailed):
        detail = (row.reason_params or {}).get("detail")
        await dead_letter(body, f"{event.reason} {detail}" if detail else event.reason)


async def publish_outbox(engine: Engine, publish: Publish, dead_letter: DeadLetter) -> int:
    """Publish the pending events (64 awaiting their acknowledgement at a time)."""
    rows = await asyncio.to_thread(repository.unpublished, engine, datetime.now(UTC))
    for start in range(0, len(rows), 64):
        await asyncio.gather(
            *(publish_row(r, publish, dead_letter) for r in rows[start : start + 64])
        )
    if rows:
        await asyncio.to_thread(repository.mark_published, engine, [r.id for r in rows])
    return len(rows)
