"""The SQL of the life of a match: participations, durable timers, their events.

A timer is claimed by a conditional UPDATE (``fired_at IS NULL``) in the transaction
that records its effect: on PostgreSQL a second worker's UPDATE waits for the first
to commit and then matches no row; on SQLite writers are serialised. Either way a
timer fires once, and a crash before the commit leaves it due for the next loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from services.matcher.adapters.life_orm import life_timers, participations
from services.matcher.adapters.orm import matches, outbox, rounds
from services.matcher.domain.life import AnswerState, Participation
from services.matcher.domain.timers import Timer, TimerKind, family
from shared.db import DriverRows
from shared.events import Event
from shared.outbox import add_events
from shared.vocabulary.codes import CheckinFit, DeclineReason


@dataclass(frozen=True)
class Claimed:
    """A timer just claimed; ``superseded`` when a later one of its family is due too."""

    match_id: str
    member_id: str
    kind: TimerKind
    n: int
    superseded: bool


class LifeRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self, people: Sequence[Participation], timers: Iterable[tuple[str, str, Timer]]
    ) -> None:
        """Store new participations and their timers (``(match id, member id, timer)``)."""
        DriverRows(self.conn, participations).insert_mappings([_columns(p) for p in people])
        add_timers(self.conn, timers)

    def get(self, match_id: str, member_id: str) -> Participation | None:
        row = self.conn.execute(
            select(participations).where(
                participations.c.match_id == match_id, participations.c.member_id == member_id
            )
        ).first()
        return None if row is None else _load(row)

    def of_match(self, match_id: str) -> list[Participation]:
        query = select(participations).where(participations.c.match_id == match_id)
        return [_load(r) for r in self.conn.execute(query.order_by(participations.c.member_id))]

    def of_round(self, round_id: str) -> list[Participation]:
        query = select(participations).where(participations.c.round_id == round_id)
        order = (participations.c.match_id, participations.c.member_id)
        return [_load(r) for r in self.conn.execute(query.order_by(*order))]

    def of_matches(self, match_ids: Sequence[str]) -> list[Participation]:
        """The people of these matches only (a page of them): read by primary key."""
        if not match_ids:
            return []
        query = select(participations).where(participations.c.match_id.in_(list(match_ids)))
        order = (participations.c.match_id, participations.c.member_id)
        return [_load(r) for r in self.conn.execute(query.order_by(*order))]

    def states_of_round(self, round_id: str) -> dict[str, int]:
        """How many people of the round are in each answer state: one aggregate query."""
        query = (
            select(participations.c.state, func.count())
            .where(participations.c.round_id == round_id)
            .group_by(participations.c.state)
        )
        return {str(state): int(n) for state, n in self.conn.execute(query)}

    def match_kind(self, match_id: str, member_id: str) -> str | None:
        """The kind of a published match that includes ``member_id`` (None: no such match)."""
        row = self.conn.execute(
            select(matches.c.kind, matches.c.members)
            .join(rounds, rounds.c.id == matches.c.round_id)
            .where(matches.c.id == match_id, rounds.c.state == "published")
        ).first()
        return None if row is None or member_id not in row.members else str(row.kind)

    def save(self, p: Participation) -> None:
        self.conn.execute(
            update(participations)
            .where(participations.c.match_id == p.match_id,
                   participations.c.member_id == p.member_id)
            .values(**_columns(p))
        )  # fmt: skip

    def add_events(self, events: Sequence[Event]) -> None:
        add_events(self.conn, outbox, events)

    def forget_member(self, member_id: str) -> None:
        """GDPR erasure: the member's answers, check-ins and timers go."""
        self.conn.execute(delete(life_timers).where(life_timers.c.member_id == member_id))
        self.conn.execute(delete(participations).where(participations.c.member_id == member_id))

    def cancel_timers(self, match_ids: Sequence[str]) -> None:
        """The timers of matches a repair ended, not fired yet, go (nobody is reminded)."""
        if match_ids:
            self.conn.execute(
                delete(life_timers).where(
                    life_timers.c.match_id.in_(list(match_ids)), life_timers.c.fired_at.is_(None)
                )
            )

    # -- timers -------------------------------------------------------------------------

    def due(self, now: datetime, limit: int) -> list[str]:
        """Ids of the timers due at ``now`` and not fired, oldest first."""
        query = (
            select(life_timers.c.id)
            .where(life_timers.c.fired_at.is_(None), life_timers.c.due_at <= now)
            .order_by(life_timers.c.due_at, life_timers.c.id)
            .limit(limit)
        )
        return list(self.conn.execute(query).scalars())

    def claim(self, timer_id: str, now: datetime) -> Claimed | None:
        """Mark the timer fired if nobody did: what it is, else None."""
        claimed = self.conn.execute(
            update(life_timers)
            .where(life_timers.c.id == timer_id, life_timers.c.fired_at.is_(None))
            .values(fired_at=now)
        ).rowcount
        if not claimed:
            return None
        row = self.conn.execute(select(life_timers).where(life_timers.c.id == timer_id)).one()
        kind = TimerKind(row.kind)
        later = self.conn.execute(
            select(life_timers.c.id)
            .where(
                life_timers.c.match_id == row.match_id,
                life_timers.c.member_id == row.member_id,
                life_timers.c.kind.in_([str(k) for k in family(kind)]),
                life_timers.c.due_at > row.due_at,
                life_timers.c.due_at <= now,
            )
            .limit(1)
        ).first()
        return Claimed(row.match_id, row.member_id, kind, int(row.n), later is not None)

    def fired(self, match_id: str | None = None) -> list[tuple[str, datetime]]:
        """(timer id, fired at) of the fired timers (of one match): for reports and tests."""
        query = select(life_timers.c.id, life_timers.c.fired_at).where(
            life_timers.c.fired_at.is_not(None)
        )
        if match_id is not None:
            query = query.where(life_timers.c.match_id == match_id)
        return [(r.id, r.fired_at) for r in self.conn.execute(query.order_by(life_timers.c.id))]


def add_timers(conn: Connection, timers: Iterable[tuple[str, str, Timer]]) -> None:
    """New timers ``(match id, member id, timer)``, not fired, in one statement handed to
    the driver as tuples (a groups round's publication is six per member)."""
    rows = DriverRows(conn, life_timers)
    at = rows.memo_binder("due_at")
    rows.insert(
        ("id", "match_id", "member_id", "kind", "n", "due_at"),
        [(t.key(match_id, member_id), match_id, member_id, str(t.kind), t.n, at(t.due_at))
         for match_id, member_id, t in timers],
    )  # fmt: skip


def _columns(p: Participation) -> dict[str, Any]:
    return {
        "match_id": p.match_id, "member_id": p.member_id, "round_id": p.round_id,
        "kind": p.kind, "state": str(p.state), "reason": p.reason and str(p.reason),
        "deadline": p.deadline, "answered_at": p.answered_at, "met": p.met,
        "fit": p.fit and str(p.fit), "checked_in_at": p.checked_in_at,
    }  # fmt: skip


def _load(row: Any) -> Participation:
    return Participation(
        match_id=row.match_id, round_id=row.round_id, kind=row.kind, member_id=row.member_id,
        deadline=row.deadline, state=AnswerState(row.state),
        reason=DeclineReason(row.reason) if row.reason else None, answered_at=row.answered_at,
        met=row.met, fit=CheckinFit(row.fit) if row.fit else None,
        checked_in_at=row.checked_in_at,
    )  # fmt: skip
