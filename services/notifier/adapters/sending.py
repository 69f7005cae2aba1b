"""The writes of one send: start, commit point, undo, and the end of a scan.

See :mod:`services.notifier.adapters.repository` for the sequence they make up.
Reasons are stored as a code (``reason``) and its parameters (``reason_params``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, case, func, or_, update

from services.notifier.adapters.orm import deliveries as d
from services.notifier.adapters.repository import LEASED
from services.notifier.adapters.writes import grouped, writing
from services.notifier.domain.model import Reason


def _per_email(values: dict[str, Any], status: str) -> tuple[Any, Any]:
    """``UPDATE deliveries SET values WHERE id ... AND lease_owner = :token AND status =
    status``, built once, in two forms: ``id = :_id`` for a message of one row (most
    are) and ``id IN :_ids`` for several. The two writes of every e-mail
    (:func:`start_sending`, :func:`mark_sent`) built and coerced a new statement per call,
    ~5-10 % of the notifier's CPU per e-mail; then the expanding ``IN`` was rendered
    anew at each execution, ~15 % of the senders' CPU (py-spy --gil, issue 14)."""
    one = (
        update(d)
        .where(d.c.id == bindparam("_id"), d.c.lease_owner == bindparam("_token"),
               d.c.status == status)
        .values(**values)
    )  # fmt: skip
    several = (
        update(d)
        .where(d.c.id.in_(bindparam("_ids", expanding=True)),
               d.c.lease_owner == bindparam("_token"), d.c.status == status)
        .values(**values)
    )  # fmt: skip
    return one, several


def _write_each(engine: Engine, statements: tuple[Any, Any], ids: Sequence[str],
                params: dict[str, Any]) -> bool:  # fmt: skip
    """Run the write for ``ids`` in a group commit; True if it changed every row."""
    one, several = statements
    if len(ids) == 1:
        stmt, params = one, {**params, "_id": ids[0]}
    else:
        stmt, params = several, {**params, "_ids": list(ids)}
    return bool(grouped(engine, lambda conn: conn.execute(stmt, params).rowcount) == len(ids))


_NOW = bindparam("_now", type_=d.c.updated_at.type)
_START = _per_email({"status": "sending", "attempts": d.c.attempts + 1, "updated_at": _NOW},
                    "claimed")  # fmt: skip
_SENT_VALUES = {
    "status": "sent", "sent_at": _NOW, "updated_at": _NOW, "event_published": False,
    "reason": bindparam("_reason", type_=d.c.reason.type),
    "reason_params": bindparam("_reason_params", type_=d.c.reason_params.type),
}  # fmt: skip
_SENT = _per_email(_SENT_VALUES, "sending")  # the content stays as it was
_SENT_WITH_CONTENT = _per_email(
    {**_SENT_VALUES, "content": bindparam("_content", type_=d.c.content.type)}, "sending"
)


def start_sending(engine: Engine, ids: Iterable[str], token: str, now: datetime) -> bool:
    """Mark a message as leaving now (``attempts + 1``); False if the lease was lost."""
    return _write_each(engine, _START, list(ids), {"_token": token, "_now": now})


def mark_sent(
    engine: Engine,
    ids: Sequence[str],
    token: str,
    now: datetime,
    content: dict[str, Any] | None,
    reason: Reason | None,
) -> bool:
    """The commit point: ``sending`` -> ``sent`` (lease kept); False if the lease was lost."""
    params: dict[str, Any] = {"_token": token, "_now": now,
                              **{f"_{k}": v for k, v in _reason(reason).items()}}  # fmt: skip
    statements = _SENT
    if content is not None:
        statements, params["_content"] = _SENT_WITH_CONTENT, content
    return _write_each(engine, statements, ids, params)


def unmark_sent(engine: Engine, ids: Sequence[str], token: str, now: datetime) -> None:
    """Undo :func:`mark_sent` (the server refused the message): back to ``sending``."""
    with writing(engine) as conn:
        conn.execute(
            update(d)
            .where(d.c.id.in_(list(ids)), d.c.lease_owner == token, d.c.status == "sent")
            .values(status="sending", sent_at=None, event_published=True, updated_at=now)
        )


def _reason(reason: Reason | None) -> dict[str, Any]:
    if reason is None:
        return {"reason": None, "reason_params": None}
    return {"reason": reason.code, "reason_params": dict(reason.params) or None}


def release(engine: Engine, token: str, done: Sequence[tuple[Sequence[str], str | None]]) -> None:
    """Drop the lease of committed messages (server reply received), many at once.

    ``done`` holds ``(row ids, reason code)``; a reason replaces the one set at the commit.
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
    reason: Reason | None = None,
    retry_at: datetime | None = None,
    content: dict[str, Any] | None = None,
    count_attempt: bool = False,
) -> int:
    """Close the lease of ``ids`` with ``status`` (``pending`` means retry at ``retry_at``)."""
    values: dict[str, Any] = {
        "status": status,
        **_reason(reason),
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
        {"_id": rid, "_status": st, "_content": content,
         **{f"_{k}": v for k, v in _reason(reason).items()},
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
            reason_params=bindparam("_reason_params", type_=d.c.reason_params.type),
            content=bindparam("_content", type_=d.c.content.type), sent_at=bindparam("_sent_at"),
            event_published=bindparam("_published"), lease_until=None, lease_owner=None,
            updated_at=now,
        )
    )  # fmt: skip
    with writing(engine) as conn:
        conn.execute(stmt, params)


def postpone(
    engine: Engine, token: str, now: datetime, held: Sequence[tuple[Sequence[str], datetime]]
) -> None:
    """Give claimed messages back untouched (no attempt counted, reason kept), due again
    at the time given with their ids: their channel's circuit breaker is open."""
    params = [{"_id": rid, "_due": due} for ids, due in held for rid in ids]
    if not params:
        return
    stmt = (
        update(d)
        .where(d.c.id == bindparam("_id"), d.c.lease_owner == token, d.c.status == "claimed")
        .values(status="pending", next_attempt_at=bindparam("_due"), lease_until=None,
                lease_owner=None, updated_at=now)
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
