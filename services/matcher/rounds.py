"""Round lifecycle use cases: create, read, cancel, and what members and erasure need.

States: requested -> running -> proposed -> published, or cancelled / failed. Computing,
adjusting and publishing a proposal live in :mod:`services.matcher.proposals`. Every
state change writes its event to the outbox in the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, or_, select, update

from services.matcher import SERVICE
from services.matcher.errors import ConflictingRequest, InvalidTransition, RoundNotFound
from services.matcher.orm import history, matches, outbox, rounds
from services.matcher.schemas import RoundCreate, RoundPublic
from shared.events import RoundProgressed, RoundScope, RoundState
from shared.outbox import add_event

PRODUCER = SERVICE


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_public(row: Any) -> RoundPublic:
    return RoundPublic(
        id=row.id,
        client_request_id=row.client_request_id,
        kind=row.kind,
        name=row.name,
        state=row.state,
        progress=row.progress,
        step=row.step,
        scope=RoundScope(**row.scope),
        parameters=row.parameters,
        adjustments=row.adjustments or [],
        report=row.report,
        error=row.error,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def create_round(engine: Engine, body: RoundCreate, requested_by: str) -> tuple[RoundPublic, bool]:
    """Create a round, or return the one already made for ``client_request_id``."""
    with engine.begin() as conn:
        row = conn.execute(
            select(rounds).where(rounds.c.client_request_id == body.client_request_id)
        ).first()
        if row is not None:
            same = (row.kind, row.scope, row.parameters) == (
                body.kind,
                body.scope.model_dump(mode="json"),
                body.parameters,
            )
            if not same:
                raise ConflictingRequest(
                    f"L'identifiant de requête {body.client_request_id} est déjà utilisé "
                    "par une demande différente."
                )
            return to_public(row), False
        round_id, now = uuid.uuid4().hex, utcnow()
        conn.execute(
            insert(rounds).values(
                id=round_id,
                client_request_id=body.client_request_id,
                kind=body.kind,
                name=body.name or f"{body.kind} {now:%Y-%m-%d}",
                state="requested",
                progress=0.0,
                step="en attente",
                scope=body.scope.model_dump(mode="json"),
                parameters=body.parameters,
                requested_by=requested_by,
                report=None,
                adjustments=[],
                error=None,
                created_at=now,
                updated_at=now,
            )
        )
        progress_event(conn, round_id, "requested", 0.0, "en attente")
    return get_round(engine, round_id), True


def get_round(engine: Engine, round_id: str) -> RoundPublic:
    with engine.connect() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
    if row is None:
        raise RoundNotFound(f"Tour {round_id} introuvable.")
    return to_public(row)


def list_rounds(engine: Engine, limit: int = 50, offset: int = 0) -> list[RoundPublic]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(rounds).order_by(rounds.c.created_at.desc()).limit(limit).offset(offset)
        ).all()
    return [to_public(r) for r in rows]


def progress_event(conn: Connection, round_id: str, state: RoundState, p: float, step: str) -> None:
    add_event(
        conn,
        outbox,
        RoundProgressed(producer=PRODUCER, round_id=round_id, state=state, progress=p, step=step),
    )


def cancel_round(engine: Engine, round_id: str) -> RoundPublic:
    with engine.begin() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        if row is None:
            raise RoundNotFound(f"Tour {round_id} introuvable.")
        if row.state in ("published", "cancelled"):
            raise InvalidTransition(f"Un tour « {row.state} » ne peut pas être annulé.")
        conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id)
            .values(state="cancelled", lease_until=None, updated_at=utcnow())
        )
        progress_event(conn, round_id, "cancelled", 1.0, "annulé")
    return get_round(engine, round_id)


def list_matches(engine: Engine, round_id: str) -> list[dict[str, Any]]:
    get_round(engine, round_id)
    with engine.connect() as conn:
        rows = conn.execute(select(matches).where(matches.c.round_id == round_id)).all()
    return [_match(r) for r in rows]


def member_matches(engine: Engine, member_id: str) -> list[dict[str, Any]]:
    """The published matches that include ``member_id``."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(matches)
            .join(rounds, rounds.c.id == matches.c.round_id)
            .where(rounds.c.state == "published")
        ).all()
    return [_match(r) for r in rows if member_id in r.members]


def _match(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "round_id": r.round_id,
        "kind": r.kind,
        "members": list(r.members),
        "data": r.data,
        "locked": bool(r.locked),
    }


def forget_member(conn: Connection, member_id: str) -> None:
    """GDPR erasure: drop the member from history and from every unpublished proposal."""
    conn.execute(
        delete(history).where(or_(history.c.member_a == member_id, history.c.member_b == member_id))
    )
    pending = conn.execute(
        select(matches.c.id, matches.c.members, matches.c.kind)
        .join(rounds, rounds.c.id == matches.c.round_id)
        .where(rounds.c.state.in_(("requested", "running", "proposed")))
    ).all()
    for match_id, member_list, kind in pending:
        if member_id not in member_list:
            continue
        rest = [m for m in member_list if m != member_id]
        if kind == "groups" and rest:
            conn.execute(update(matches).where(matches.c.id == match_id).values(members=rest))
        else:
            conn.execute(delete(matches).where(matches.c.id == match_id))
