"""Storage of deliveries (SQLAlchemy Core): accept, claim with a lease, send, outbox.

Exactly-once rests on these writes, each its own transaction:

1. ``accept``: one row per (match, member, channel), ``ON CONFLICT DO NOTHING`` on the
   unique key, committed before the event is acknowledged — a redelivered event adds
   nothing;
2. ``claim``: due rows are leased (``claimed``, owner token, expiry); then, for each
   message, ``start_sending`` switches its rows to ``sending`` with ``attempts + 1``
   immediately *before* the send;
3. ``mark_sent``: the commit point, called by the channel *inside* the send (for
   SMTP between the message body and the ``CRLF . CRLF`` terminator, see
   :mod:`services.notifier.adapters.smtp_session`). The row is ``sent`` but keeps its lease
   until ``release`` (batched per scan), so the outbox does not announce it while the
   server's reply is still awaited; ``unmark_sent`` undoes it if the server refuses;
4. ``finish``: retry / ``failed`` / ``skipped`` when nothing was committed.

After a crash, an expired ``claimed`` row was never attempted and an expired
``sending`` row never reached its commit point — for email the server never got the
terminator and dropped the message — so both simply go back to work (``sending`` ones
with the reason :data:`RESUMED`). A ``sent`` row is never sent again; its outbox event
goes out once its lease has expired.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, case, null, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.notifier.adapters.orm import deliveries as d
from services.notifier.adapters.writes import writing
from services.notifier.domain import notices
from services.notifier.domain.deliveries import RESUMED, Group, Row, message_key

__all__ = ["RESUMED", "Group", "Row", "message_key"]
from services.notifier.domain.model import CHANNELS, Role
from shared import correlation


def accept(
    engine: Engine,
    payload: dict[str, Any],
    who: Sequence[tuple[str, Role]],
    now: datetime,
    settle: timedelta,
) -> int:
    """Record one pending delivery per (match, member, channel); returns how many are new."""
    return accept_many(engine, [(payload, who)], now, settle)


def _announcement(payload: dict[str, Any]) -> str:
    """What one message announces: a round, or one repair of it (``revision`` > 0), so a
    person whose match a repair changed is told again despite the one-message cap."""
    revision = int(payload.get("revision") or 0)
    return payload["round_id"] if revision == 0 else f"{payload['round_id']}#{revision}"


def accept_many(
    engine: Engine,
    batch: Sequence[tuple[dict[str, Any], Sequence[tuple[str, Role]]]],
    now: datetime,
    settle: timedelta,
    correlations: Sequence[str | None] | None = None,
) -> int:
    """:func:`accept` for several events in one transaction; how many rows are new
    (SQLite counts them exactly; other drivers may report fewer for a batch).

    ``correlations`` holds each event's correlation id (default: the current one)."""
    ids = correlations if correlations is not None else [correlation.current()] * len(batch)
    rows = [
        {
            "id": uuid.uuid4().hex,
            "match_id": _delivery_match_id(payload),
            "round_id": payload["round_id"],
            "member_id": member_id,
            "channel": channel,
            "kind": payload["type"],
            "role": role,
            "status": "pending",
            "attempts": 0,
            "payload": payload,
            "message_key": message_key(_message_scope(payload), member_id, channel),
            "next_attempt_at": now + settle,
            "event_published": True,
            "created_at": now,
            "updated_at": now,
            "correlation_id": correlation_id,
        }
        for (payload, who), correlation_id in zip(batch, ids, strict=True)
        for member_id, role in who
        for channel in CHANNELS
    ]
    if not rows:
        return 0
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    # One statement, its parameters given as a list: compiled once and cached (SQLAlchemy
    # batches the rows itself, "insertmanyvalues"), where a multi-row VALUES of each chunk
    # was compiled anew on every call, inside the writer lock the senders wait on
    # (profiled: most of the intake's time). The ids returned are the new rows (the
    # drivers' rowcount of a many-row execute is -1 on psycopg).
    statement = insert(d).on_conflict_do_nothing().returning(d.c.id)
    with writing(engine) as conn:
        return len(conn.execute(statement, rows).all())


def _delivery_match_id(payload: dict[str, Any]) -> str:
    """The match, or for a notice the match and the notice (once per notice)."""
    return notices.delivery_key(payload) if notices.is_notice(payload) else payload["match_id"]


def _message_scope(payload: dict[str, Any]) -> str:
    """One message per member, channel and round, or per round and notice."""
    if notices.is_notice(payload):
        return f"{payload['round_id']}{notices.SEPARATOR}{notices.notice_of(payload)}"
    return _announcement(payload)


LEASED = ("claimed", "sending")


def _claimable(now: datetime) -> Any:
    return or_(
        d.c.status == "pending",
        and_(d.c.status.in_(LEASED), d.c.lease_until < now),
    )


def claim(engine: Engine, now: datetime, limit: int, lease: timedelta, token: str) -> list[Group]:
    """Lease up to ``limit`` due messages to ``token``; a racing replica gets other ones."""
    due = or_(
        and_(d.c.status == "pending", d.c.next_attempt_at <= now),
        and_(d.c.status.in_(LEASED), d.c.lease_until < now),
    )
    with writing(engine) as conn:
        keys = list(conn.scalars(select(d.c.message_key).where(due).distinct().limit(limit)))
        if not keys:
            return []
        conn.execute(
            update(d)
            .where(d.c.message_key.in_(keys), _claimable(now))
            .values(
                reason=case((d.c.status == "sending", RESUMED), else_=d.c.reason),
                reason_params=case((d.c.status == "sending", null()), else_=d.c.reason_params),
                status="claimed",
                lease_until=now + lease,
                lease_owner=token,
                updated_at=now,
            )
        )
        told = set(
            conn.scalars(
                select(d.c.message_key).where(d.c.message_key.in_(keys), d.c.status == "sent")
            )
        )
        mine = conn.execute(
            select(d).where(d.c.lease_owner == token, d.c.status == "claimed")
        ).all()
    grouped: dict[str, list[Row]] = defaultdict(list)
    for r in mine:
        grouped[r.message_key].append(
            Row(
                r.id,
                r.match_id,
                r.round_id,
                r.member_id,
                r.channel,
                r.role or "mentee",
                r.attempts,
                r.payload,
                r.reason == RESUMED,
                _aware(r.created_at),
                r.correlation_id,
            )
        )
    return [
        Group(key, rows[0].member_id, rows[0].round_id, rows[0].channel,
              tuple(sorted(rows, key=lambda r: r.match_id)), key in told)
        for key, rows in grouped.items()
    ]  # fmt: skip


def _aware(value: datetime | None) -> datetime | None:
    """SQLite gives timestamps back without their zone: they are stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


_OUTBOX_COLUMNS = (d.c.id, d.c.status, d.c.match_id, d.c.round_id, d.c.member_id, d.c.channel,
                   d.c.attempts, d.c.reason, d.c.reason_params, d.c.correlation_id)  # fmt: skip


def unpublished(engine: Engine, now: datetime, limit: int = 500) -> list[Any]:
    """Sent or failed rows whose event is not yet on the broker (the outbox); a row
    still leased (its server reply awaited) waits for ``release`` or its lease expiry."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(*_OUTBOX_COLUMNS)  # not the payload and content JSON of every row
                .where(
                    d.c.event_published.is_(False),
                    or_(d.c.lease_owner.is_(None), d.c.lease_until < now),
                )
                .order_by(d.c.updated_at)
                .limit(limit)
            ).all()
        )


def mark_published(engine: Engine, ids: Sequence[str]) -> None:
    with writing(engine) as conn:
        conn.execute(update(d).where(d.c.id.in_(list(ids))).values(event_published=True))
