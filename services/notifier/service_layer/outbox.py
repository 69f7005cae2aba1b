"""The outbox: ``notification.delivered`` / ``notification.failed`` from the deliveries table.

Rows that changed are published with a ``Nats-Msg-Id`` derived from the rows, so a
republish after a crash is dropped by JetStream; sent ones in batches (one event per
round, up to 500 deliveries), failed ones one by one and also to the dead letters. The
event's ``reason`` is a code (``gave_up:smtp_failed``), never a sentence.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from services.notifier import SERVICE
from services.notifier.adapters import repository
from shared import correlation
from shared.events import Delivered, NotificationDelivered, NotificationFailed

Publish = Callable[[str, bytes, dict[str, str]], Awaitable[None]]
DeadLetter = Callable[[bytes, str], Awaitable[None]]


def event_reason(code: str | None, params: dict[str, Any] | None) -> str:
    """The reason as events carry it: ``code`` or ``code:cause``.

    >>> event_reason("gave_up", {"cause": "smtp_failed", "attempts": 2})
    'gave_up:smtp_failed'
    """
    cause = (params or {}).get("cause")
    return f"{code or 'unknown'}:{cause}" if cause else (code or "unknown")


#: The most deliveries one ``notification.delivered`` event carries.
PER_EVENT = 500


def _failed(row: Any) -> NotificationFailed:
    return NotificationFailed(
        event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{row.id}/{row.status}").hex,
        producer=SERVICE, match_id=row.match_id, round_id=row.round_id,
        member_id=row.member_id, channel=row.channel, attempts=max(1, row.attempts),
        reason=event_reason(row.reason, row.reason_params),
    )  # fmt: skip


def delivered_batches(rows: Sequence[Any]) -> list[tuple[NotificationDelivered, str | None]]:
    """The sent rows as ``notification.delivered`` events, one per round and correlation
    id (the NATS header) and at most :data:`PER_EVENT` deliveries, each with the
    correlation id. The event id derives from the rows: the same batch published twice
    is dropped by JetStream."""
    by_round: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
    for row in rows:
        by_round[(row.round_id, row.correlation_id)].append(row)
    events = []
    for (round_id, correlation_id), same in by_round.items():
        for start in range(0, len(same), PER_EVENT):
            chunk = same[start : start + PER_EVENT]
            ids = ",".join(sorted(r.id for r in chunk))
            event = NotificationDelivered(
                event_id=uuid.uuid5(uuid.NAMESPACE_URL, f"delivered/{ids}").hex,
                producer=SERVICE, round_id=round_id,
                deliveries=tuple(Delivered(delivery_id=r.id, match_id=r.match_id,
                                           member_id=r.member_id, channel=r.channel)
                                 for r in chunk),
            )  # fmt: skip
            events.append((event, correlation_id))
    return events


async def _publish(event: NotificationDelivered | NotificationFailed, correlation_id: str | None,
                   publish: Publish) -> bytes:  # fmt: skip
    body = event.model_dump_json().encode()
    headers = correlation.headers_with({"Nats-Msg-Id": event.event_id}, correlation_id)
    await publish(event.subject, body, headers)
    return body


async def publish_failed(row: Any, publish: Publish, dead_letter: DeadLetter) -> None:
    event = _failed(row)
    body = await _publish(event, row.correlation_id, publish)
    detail = (row.reason_params or {}).get("detail")
    await dead_letter(body, f"{event.reason} {detail}" if detail else event.reason)


async def publish_outbox(engine: Engine, publish: Publish, dead_letter: DeadLetter) -> int:
    """Publish the pending events: the sent rows in batches, each failure on its own
    (64 awaiting their acknowledgement at a time); then mark them all published."""
    rows = await asyncio.to_thread(repository.unpublished, engine, datetime.now(UTC))
    sent = [r for r in rows if r.status == "sent"]
    sends: list[Awaitable[Any]] = [_publish(e, c, publish) for e, c in delivered_batches(sent)]
    sends += [publish_failed(r, publish, dead_letter) for r in rows if r.status != "sent"]
    for start in range(0, len(sends), 64):
        await asyncio.gather(*sends[start : start + 64])
    if rows:
        await asyncio.to_thread(repository.mark_published, engine, [r.id for r in rows])
    return len(rows)
