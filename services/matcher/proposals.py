"""Proposals: compute a round (claimed by one worker), adjust it, publish it.

Publishing writes one ``match.*`` event per match and ``round.published`` to the
outbox in the same transaction as the history of who met whom, so nothing is
announced that was not stored and nothing stored is left unannounced.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, and_, delete, insert, or_, select, update

from services.matcher.errors import InvalidTransition, RoundNotFound
from services.matcher.formats import FORMATS
from services.matcher.formats.base import Inputs, Proposal, ProposedMatch
from services.matcher.orm import history, matches, members, outbox, rounds
from services.matcher.people import population
from services.matcher.rounds import PRODUCER, get_round, progress_event, to_public, utcnow
from services.matcher.schemas import PARAMETERS, RemoveMember, RoundPublic
from shared.events import RoundProposed, RoundPublished, RoundScope, RoundState
from shared.outbox import add_event

log = logging.getLogger("entraide.matcher.proposals")
LEASE = timedelta(minutes=5)
Notify = Callable[[], None]


def claim_next(engine: Engine) -> str | None:
    """Move one requested round (or one whose worker died) to ``running``; return its id."""
    now = utcnow()
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
            progress_event(conn, candidate, "running", 0.05, "démarrage")
    return candidate if claimed else None


def set_progress(engine: Engine, round_id: str, progress: float, step: str) -> None:
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            update(rounds)
            .where(rounds.c.id == round_id, rounds.c.state == "running")
            .values(progress=progress, step=step, lease_until=now + LEASE, updated_at=now)
        )
        progress_event(conn, round_id, "running", progress, step)


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
    now = utcnow()
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
            .values(state=state, error=error, lease_until=None, updated_at=utcnow())
        )
        progress_event(conn, round_id, state, 1.0, error or state)


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
    now = utcnow()
    with engine.begin() as conn:
        row = conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        if row is None:
            raise RoundNotFound(f"Tour {round_id} introuvable.")
        if row.state == "published":
            return to_public(row)
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
