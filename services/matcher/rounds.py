"""Round use cases: create, run (claimed by one worker), adjust, publish, cancel.

States: requested -> running -> proposed -> published, or cancelled / failed. Every
state change writes its event (``round.progress``, ``round.proposed``,
``round.published``, one ``match.*`` per match) to the outbox in the same transaction,
so nothing is announced that was not stored and nothing stored is left unannounced.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, update

from services.matcher.errors import ConflictingRequest, InvalidTransition, RoundNotFound
from services.matcher.formats import FORMATS
from services.matcher.formats.base import Inputs, Proposal, ProposedMatch
from services.matcher.orm import history, matches, members, outbox, rounds
from services.matcher.people import population
from services.matcher.schemas import PARAMETERS, RemoveMember, RoundCreate, RoundPublic
from shared.events import (
    RoundProgressed,
    RoundProposed,
    RoundPublished,
    RoundScope,
    RoundState,
)
from shared.outbox import add_event

log = logging.getLogger("entraide.matcher.rounds")
PRODUCER = "matcher"
LEASE = timedelta(minutes=5)
Notify = Callable[[], None]


def _now() -> datetime:
    return datetime.now(UTC)


def _public(row: Any) -> RoundPublic:
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
            return _public(row), False
        round_id, now = uuid.uuid4().hex, _now()
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
        _progress_event(conn, round_id, "requested", 0.0, "en attente")
    return get_round(engine, round_id), True


def get_round(engine: Engine, round_id: str) -> RoundPublic:
    with engine.connect() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
    if row is None:
        raise RoundNotFound(f"Tour {round_id} introuvable.")
    return _public(row)


def list_rounds(engine: Engine, limit: int = 50, offset: int = 0) -> list[RoundPublic]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(rounds).order_by(rounds.c.created_at.desc()).limit(limit).offset(offset)
        ).all()
    return [_public(r) for r in rows]


def claim_next(engine: Engine) -> str | None:
    """Move one requested round (or one whose worker died) to ``running``; return its id."""
    now = _now()
    with engine.begin() as conn:
        candidate = conn.execute(
            select(rounds.c.id)
            .where(
                or_(
                    rounds.c.state == "requested",
                    and_(rounds.c.state == "running", rounds.c.lease_until < now),
                )
            )
            .order_by(rounds.c.created_at)
            .limit(1)
        ).scalar()
        if candidate is None:
            return None
        claimed = conn.execute(
            update(rounds)
            .where(rounds.c.id == candidate, rounds.c.state.in_(("requested", "running")))
            .values(state="running", lease_until=now + LEASE, updated_at=now)
        ).rowcount
        if claimed:
            _progress_event(conn, candidate, "running", 0.05, "démarrage")
    return candidate if claimed else None


def _progress_event(
    conn: Connection, round_id: str, state: RoundState, p: float, step: str
) -> None:
    add_event(
        conn,
        outbox,
        RoundProgressed(producer=PRODUCER, round_id=round_id, state=state, progress=p, step=step),
    )


def set_progress(engine: Engine, round_id: str, progress: float, step: str) -> None:
    now = _now()
    with engine.begin() as conn:
        conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.state == "running")
            .values(progress=progress, step=step, lease_until=now + LEASE, updated_at=now)
        )
        _progress_event(conn, round_id, "running", progress, step)


def load_inputs(conn: Connection, row: Any, today: date) -> Inputs:
    """Population in scope, everyone, history within the look-back, removed members."""
    params = PARAMETERS[row.kind].model_validate(row.parameters)
    rows = conn.execute(select(members.c.id, members.c.profile)).all()
    people, everyone = population(
        rows, RoundScope(**row.scope), row.kind, today, params.newcomer_months
    )
    query = select(history.c.member_a, history.c.member_b)
    replaced = getattr(params, "replan_of", None)
    previous: list[ProposedMatch] = []
    if replaced:
        previous = _replaced_plan(conn, replaced)
        # its pairs are re-counted from the rounds actually held, not from the old plan
        query = query.where(history.c.round_id != replaced)
    if params.lookback_days is not None:
        since = datetime.now(UTC) - timedelta(days=params.lookback_days)
        query = query.where(history.c.met_at >= since)
    met = {frozenset((a, b)) for a, b in conn.execute(query).all()}
    removed = {a["member_id"] for a in row.adjustments or [] if a.get("action") == "remove"}
    return Inputs(people, everyone, met, params, removed, previous)


def _replaced_plan(conn: Connection, round_id: str) -> list[ProposedMatch]:
    row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
    if row is None or row.kind != "rotations" or row.state not in ("proposed", "published"):
        raise InvalidTransition(
            f"replan_of doit désigner un tour de rotations proposé ou publié ({round_id})."
        )
    return load_proposal(conn, round_id, row.report).matches


def run_round(
    engine: Engine, round_id: str, today: date | None = None, notify: Notify | None = None
) -> RoundPublic:
    """Compute the proposal of a running round and store it (state ``proposed``)."""
    with engine.connect() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        if row is None or row.state != "running":
            raise InvalidTransition(f"Le tour {round_id} n'est pas en cours de calcul.")
        inputs = load_inputs(conn, row, today or date.today())

    def progress(p: float, step: str) -> None:
        set_progress(engine, round_id, p, step)
        if notify is not None:
            notify()

    progress(0.1, f"{len(inputs.people)} participants")
    try:
        proposal = FORMATS[row.kind].propose(inputs, progress)
    except Exception as exc:
        log.exception("round %s failed", round_id)
        _finish(engine, round_id, "failed", error=str(exc)[:2000])
        raise
    _store(engine, round_id, proposal, "running")
    return get_round(engine, round_id)


def _store(
    engine: Engine,
    round_id: str,
    proposal: Proposal,
    from_state: str,
    adjustment: dict[str, Any] | None = None,
) -> None:
    now = _now()
    with engine.begin() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        if row is None or row.state != from_state:
            raise InvalidTransition(f"Le tour {round_id} a changé d'état entre-temps.")
        conn.execute(delete(matches).where(matches.c.round_id == round_id))
        for m in proposal.matches:
            m.id = m.id or uuid.uuid4().hex
        if proposal.matches:
            conn.execute(
                insert(matches),
                [
                    {
                        "id": m.id,
                        "round_id": round_id,
                        "kind": row.kind,
                        "members": list(m.members),
                        "data": m.data,
                        "locked": int(m.locked),
                    }
                    for m in proposal.matches
                ],
            )
        adjustments = [*(row.adjustments or []), *([adjustment] if adjustment else [])]
        conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id)
            .values(
                state="proposed",
                progress=1.0,
                step="proposition prête",
                report=proposal.report,
                adjustments=adjustments,
                lease_until=None,
                updated_at=now,
            )
        )
        figures = {k: float(v) for k, v in (proposal.report.get("headline") or {}).items()}
        add_event(
            conn,
            outbox,
            RoundProposed(producer=PRODUCER, round_id=round_id, kind=row.kind, figures=figures),
        )


def _finish(engine: Engine, round_id: str, state: RoundState, error: str | None = None) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id)
            .values(state=state, error=error, lease_until=None, updated_at=_now())
        )
        _progress_event(conn, round_id, state, 1.0, error or state)


def load_proposal(conn: Connection, round_id: str, report: dict[str, Any] | None) -> Proposal:
    rows = conn.execute(select(matches).where(matches.c.round_id == round_id)).all()
    return Proposal(
        [ProposedMatch(tuple(r.members), dict(r.data), bool(r.locked), r.id) for r in rows],
        dict(report or {}),
    )


def adjust_round(
    engine: Engine, round_id: str, adjustment: BaseModel, today: date | None = None
) -> RoundPublic:
    """Apply a coordinator's adjustment to a proposed round; constraints are re-checked."""
    with engine.connect() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        if row is None:
            raise RoundNotFound(f"Tour {round_id} introuvable.")
        if row.state != "proposed":
            raise InvalidTransition("Seule une proposition (état « proposed ») peut être ajustée.")
        inputs = load_inputs(conn, row, today or date.today())
        current = load_proposal(conn, round_id, row.report)
    if isinstance(adjustment, RemoveMember):
        inputs.removed.add(adjustment.member_id)
    proposal = FORMATS[row.kind].adjust(current, adjustment, inputs)
    _store(engine, round_id, proposal, "proposed", adjustment.model_dump(mode="json"))
    return get_round(engine, round_id)


def publish_round(engine: Engine, round_id: str) -> RoundPublic:
    """Publish: one event per match, every pair into the history, in one transaction."""
    now = _now()
    with engine.begin() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        if row is None:
            raise RoundNotFound(f"Tour {round_id} introuvable.")
        if row.state == "published":
            return _public(row)
        if row.state != "proposed":
            raise InvalidTransition("Seule une proposition (état « proposed ») peut être publiée.")
        fmt = FORMATS[row.kind]
        proposal = load_proposal(conn, round_id, row.report)
        replaced = (row.parameters or {}).get("replan_of")
        if replaced:  # the new plan re-records the rounds actually held
            conn.execute(delete(history).where(history.c.round_id == replaced))
        met: set[frozenset[str]] = set()
        for m in proposal.matches:
            add_event(conn, outbox, fmt.event(m, round_id))
            met.update(p for p in fmt.pairs(m) if len(p) == 2)
        if met:
            conn.execute(
                insert(history),
                [
                    {
                        "round_id": round_id,
                        "member_a": a,
                        "member_b": b,
                        "kind": row.kind,
                        "met_at": now,
                    }
                    for a, b in (sorted(p) for p in met)
                ],
            )
        conn.execute(
            update(rounds).where(rounds.c.id == round_id).values(state="published", updated_at=now)
        )
        add_event(
            conn,
            outbox,
            RoundPublished(
                producer=PRODUCER,
                round_id=round_id,
                kind=row.kind,
                match_count=len(proposal.matches),
            ),
        )
    return get_round(engine, round_id)


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
            .values(state="cancelled", lease_until=None, updated_at=_now())
        )
        _progress_event(conn, round_id, "cancelled", 1.0, "annulé")
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
