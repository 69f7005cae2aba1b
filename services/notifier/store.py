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
   :mod:`services.notifier.smtp_session`). The row is ``sent`` but keeps its lease
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

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.notifier.domain.model import CHANNELS, Role
from services.notifier.orm import deliveries as d
from services.notifier.writes import grouped, writing

RESUMED = "repris après interruption (l'envoi interrompu n'avait pas été validé)"


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


def accept(
    engine: Engine,
    payload: dict[str, Any],
    who: Sequence[tuple[str, Role]],
    now: datetime,
    settle: timedelta,
) -> int:
    """Record one pending delivery per (match, member, channel); returns how many are new."""
    return accept_many(engine, [(payload, who)], now, settle)


def accept_many(
    engine: Engine,
    batch: Sequence[tuple[dict[str, Any], Sequence[tuple[str, Role]]]],
    now: datetime,
    settle: timedelta,
) -> int:
    """:func:`accept` for several events in one transaction (inserts of 60 rows)."""
    rows = [
        {
            "id": uuid.uuid4().hex,
            "match_id": payload["match_id"],
            "round_id": payload["round_id"],
            "member_id": member_id,
            "channel": channel,
            "kind": payload["type"],
            "role": role,
            "status": "pending",
            "attempts": 0,
            "payload": payload,
            "message_key": message_key(payload["round_id"], member_id, channel),
            "next_attempt_at": now + settle,
            "event_published": True,
            "created_at": now,
            "updated_at": now,
        }
        for payload, who in batch
        for member_id, role in who
        for channel in CHANNELS
    ]
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    new = 0
    with writing(engine) as conn:
        for start in range(0, len(rows), 60):  # 60 x 15 values: under any SQLite limit
            chunk = rows[start : start + 60]
            new += int(conn.execute(insert(d).values(chunk).on_conflict_do_nothing()).rowcount or 0)
    return new


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
            )
        )
    return [
        Group(key, rows[0].member_id, rows[0].round_id, rows[0].channel,
              tuple(sorted(rows, key=lambda r: r.match_id)), key in told)
        for key, rows in grouped.items()
    ]  # fmt: skip


def start_sending(engine: Engine, ids: Iterable[str], token: str, now: datetime) -> bool:
    """Mark a message as leaving now (``attempts + 1``); False if the lease was lost."""
    ids = list(ids)
    stmt = (
        update(d)
        .where(d.c.id.in_(ids), d.c.lease_owner == token, d.c.status == "claimed")
        .values(status="sending", attempts=d.c.attempts + 1, updated_at=now)
    )
    return grouped(engine, lambda conn: conn.execute(stmt).rowcount) == len(ids)


def mark_sent(
    engine: Engine,
    ids: Sequence[str],
    token: str,
    now: datetime,
    content: dict[str, Any] | None,
    reason: str | None,
) -> bool:
    """The commit point: ``sending`` -> ``sent`` (lease kept); False if the lease was lost."""
    values: dict[str, Any] = {"status": "sent", "sent_at": now, "reason": reason,
                              "updated_at": now, "event_published": False}  # fmt: skip
    if content is not None:
        values["content"] = content
    stmt = (
        update(d)
        .where(d.c.id.in_(list(ids)), d.c.lease_owner == token, d.c.status == "sending")
        .values(**values)
    )
    return grouped(engine, lambda conn: conn.execute(stmt).rowcount) == len(ids)


def unmark_sent(engine: Engine, ids: Sequence[str], token: str, now: datetime) -> None:
    """Undo :func:`mark_sent` (the server refused the message): back to ``sending``."""
    with writing(engine) as conn:
        conn.execute(
            update(d)
            .where(d.c.id.in_(list(ids)), d.c.lease_owner == token, d.c.status == "sent")
            .values(status="sending", sent_at=None, event_published=True, updated_at=now)
        )


def release(engine: Engine, token: str, done: Sequence[tuple[Sequence[str], str | None]]) -> None:
    """Drop the lease of committed messages (server reply received), many at once.

    ``done`` holds ``(row ids, reason)``; a reason replaces the one set at the commit.
    """
    params = [{"_id": rid, "_reason": reason} for ids, reason in done for rid in ids]
    if not params:
        return
    stmt = (
        update(d)
        .where(d.c.id == bindparam("_id"), d.c.lease_owner == token, d.c.status == "sent")
        .values(reason=func.coalesce(bindparam("_reason"), d.c.reason),
                lease_until=None, lease_owner=None)
    )  # fmt: skip
    with writing(engine) as conn:
        conn.execute(stmt, params)


def finish(
    engine: Engine,
    ids: Iterable[str],
    token: str,
    now: datetime,
    *,
    status: str,
    reason: str | None = None,
    retry_at: datetime | None = None,
    content: dict[str, Any] | None = None,
    count_attempt: bool = False,
) -> int:
    """Close the lease of ``ids`` with ``status`` (``pending`` means retry at ``retry_at``)."""
    values: dict[str, Any] = {
        "status": status,
        "reason": reason,
        "lease_until": None,
        "lease_owner": None,
        "updated_at": now,
        "event_published": status not in {"sent", "failed"},
    }
    if status == "sent":
        values["sent_at"] = now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    if content is not None:
        values["content"] = content
    if count_attempt:  # a failure before start_sending (e.g. rendering) still counts
        values["attempts"] = case((d.c.status == "claimed", d.c.attempts + 1), else_=d.c.attempts)
    with writing(engine) as conn:
        result = conn.execute(
            update(d)
            .where(d.c.id.in_(list(ids)), d.c.lease_owner == token, d.c.status.in_(LEASED))
            .values(**values)
        )
    return int(result.rowcount or 0)


def finish_quietly(engine: Engine, token: str, now: datetime, done: Sequence[Any]) -> None:
    """Close many leases in one transaction: outcomes that sent nothing outside (skips,
    in-app entries), so grouping their writes cannot cause a duplicate.

    ``done`` holds ``(row ids, status, reason, content)``.
    """
    params = [
        {"_id": rid, "_status": st, "_reason": reason, "_content": content,
         "_sent_at": now if st == "sent" else None, "_published": st not in {"sent", "failed"}}
        for ids, st, reason, content in done
        for rid in ids
    ]  # fmt: skip
    if not params:
        return
    stmt = (
        update(d)
        .where(
            d.c.id == bindparam("_id"),
            d.c.lease_owner == token,
            or_(d.c.status == "claimed", d.c.status == "sending"),  # no IN: executemany
        )
        .values(
            status=bindparam("_status"), reason=bindparam("_reason"),
            content=bindparam("_content", type_=d.c.content.type), sent_at=bindparam("_sent_at"),
            event_published=bindparam("_published"), lease_until=None, lease_owner=None,
            updated_at=now,
        )
    )  # fmt: skip
    with writing(engine) as conn:
        conn.execute(stmt, params)


def close_scan(
    engine: Engine,
    token: str,
    now: datetime,
    quiet: Sequence[Any],
    sent: Sequence[tuple[Sequence[str], str | None]],
) -> None:
    """End of a scan: :func:`finish_quietly` and :func:`release`."""
    finish_quietly(engine, token, now, quiet)
    release(engine, token, sent)


def unpublished(engine: Engine, now: datetime, limit: int = 500) -> list[Any]:
    """Sent or failed rows whose event is not yet on the broker (the outbox); a row
    still leased (its server reply awaited) waits for ``release`` or its lease expiry."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(d)
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


def round_log(engine: Engine, round_id: str) -> tuple[dict[str, int], list[Any]]:
    """Counts by status and every row of a round, for coordinators."""
    with engine.connect() as conn:
        counts: dict[str, int] = dict(
            conn.execute(
                select(d.c.status, func.count())
                .where(d.c.round_id == round_id)
                .group_by(d.c.status)
            ).all()
        )
        rows = conn.execute(
            select(d)
            .where(d.c.round_id == round_id)
            .order_by(d.c.member_id, d.c.channel, d.c.match_id)
        ).all()
    return {k: int(v) for k, v in counts.items()}, list(rows)


def inbox(engine: Engine, member_id: str) -> list[Any]:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(d)
                .where(d.c.member_id == member_id, d.c.channel == "inapp", d.c.status != "skipped")
                .order_by(d.c.created_at.desc(), d.c.match_id)
            ).all()
        )


def mark_read(engine: Engine, member_id: str, entry_id: str, now: datetime) -> bool:
    with writing(engine) as conn:
        result = conn.execute(
            update(d)
            .where(d.c.id == entry_id, d.c.member_id == member_id, d.c.channel == "inapp")
            .values(read_at=func.coalesce(d.c.read_at, now))
        )
    return bool(result.rowcount)


def forget_member(engine: Engine, member_id: str) -> int:
    """GDPR erasure: delete every delivery (inbox entry, log row) of ``member_id``."""
    with engine.begin() as conn:
        return int(conn.execute(delete(d).where(d.c.member_id == member_id)).rowcount)
