"""Erasure reaches everything the notifier holds (GDPR, issue 10 item 7).

On ``member.erased``: a tombstone is recorded (the member's tokens issued before are
refused, see :func:`shared.web.current_principal`), the member's own deliveries are
deleted, and every message of someone else that named them is rewritten: its
payloads lose the member's id (:mod:`services.notifier.domain.erasure`) and a message
already rendered (an inbox entry, the stored copy of an e-mail) is rendered again
from them, so it shows the tombstone wording where the name was. Messages not yet
sent are rendered later from the rewritten payloads; a match event that arrives
after the erasure is rewritten when it is accepted (:mod:`.matches`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from services.notifier.adapters import erasure_repository
from services.notifier.adapters.erasure_repository import Redaction
from services.notifier.adapters.rendering import Section, render
from services.notifier.domain.erasure import without_members
from services.notifier.domain.recipients import people_named
from services.notifier.service_layer.dispatcher import Contacts, Labels

log = logging.getLogger("entraide.notifier.erasure")


async def erase_member(
    engine: Engine, member_id: str, erased_at: datetime, contacts: Contacts, labels: Labels
) -> int:
    """Forget ``member_id`` everywhere; returns how many of their deliveries were deleted.

    A profiles lookup that fails raises: the event is redelivered and nothing was
    written (the tombstone, deletion and rewrites share one transaction).
    """
    rows = await asyncio.to_thread(erasure_repository.messages_naming, engine, member_id)
    messages: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        messages[row.message_key].append(row)
    try:
        await labels.refresh()
    except Exception:
        log.exception("skill catalogue not refreshed; rendering with the labels known")
    redactions: list[Redaction] = []
    for message in messages.values():
        redactions += await _rewrite(message, member_id, contacts, labels)
    return await asyncio.to_thread(
        erasure_repository.apply, engine, member_id, erased_at, redactions
    )


async def _rewrite(
    rows: list[Any], member_id: str, contacts: Contacts, labels: Labels
) -> list[Redaction]:
    """The rows of one message without ``member_id``, rendered again if they had been."""
    payloads = [without_members(r.payload, {member_id}) for r in rows]
    content = None
    if any(r.content for r in rows):
        recipient = rows[0].member_id
        wanted = {recipient, *(p for pl in payloads for p in people_named(pl, recipient))}
        found = await asyncio.gather(*(contacts.get(i) for i in sorted(wanted)))
        known = dict(zip(sorted(wanted), found, strict=True))
        me = known.get(recipient)
        if me is not None:  # a recipient erased too loses the message with their own erasure
            sections = [Section(p, r.role or "mentee") for p, r in zip(payloads, rows, strict=True)]
            message = render(sections, me, known, datetime.now(UTC), labels.label)
            content = {"subject": message.subject, "body": message.body, "language": me.language}
    return [(r.id, p, content if r.content else None) for r, p in zip(rows, payloads, strict=True)]
