"""Rounds, their matches, the history of who met whom, and the outbox: all their SQL.

:class:`RoundRepository` loads and saves the :class:`Round` aggregate; saving writes the
events the aggregate recorded to the outbox in the same transaction, and only if the
round is still in the state it was loaded in (two workers never both win a round).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from services.matcher.adapters.closing_orm import courses
from services.matcher.adapters.orm import history, match_members, matches, outbox, rounds
from services.matcher.adapters.seats import SeatRepository
from services.matcher.algorithms.model import Pair
from services.matcher.domain import parameters
from services.matcher.domain.adjustments import as_record, from_record
from services.matcher.domain.erasure import tombstone
from services.matcher.domain.errors import RoundNotFound
from services.matcher.domain.kinds.base import MatchRecord, Proposal, ProposedMatch
from services.matcher.domain.round import Round
from shared import correlation
from shared.db import DriverRows
from shared.events import Event, RoundScope, RoundState
from shared.outbox import add_events
from shared.pagination import PageRequest
from shared.vocabulary import ProgressStep

UNPUBLISHED: tuple[RoundState, ...] = ("requested", "running", "proposed")


class RoundRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._loaded: dict[str, RoundState] = {}

    def get(self, round_id: str) -> Round | None:
        row = self.conn.execute(select(rounds).where(rounds.c.id == round_id)).first()
        return None if row is None else self._load(row)

    def require(self, round_id: str) -> Round:
        found = self.get(round_id)
        if found is None:
            raise RoundNotFound(round_id=round_id)
        return found

    def by_request(self, client_request_id: str) -> Round | None:
        query = select(rounds).where(rounds.c.client_request_id == client_request_id)
        row = self.conn.execute(query).first()
        return None if row is None else self._load(row)

    def page(self, page: PageRequest) -> tuple[list[Round], int]:
        query = select(rounds).order_by(rounds.c.created_at.desc(), rounds.c.id)
        rows = self.conn.execute(query.limit(page.limit).offset(page.offset)).all()
        total = self.conn.execute(select(func.count()).select_from(rounds)).scalar_one()
        return [self._load(r) for r in rows], int(total)

    def claimable(self, now: datetime) -> Round | None:
        """The oldest requested round, or a running one whose worker's lease ran out."""
        waiting = or_(
            rounds.c.state == "requested",
            and_(rounds.c.state == "running", rounds.c.lease_until < now),
        )
        query = select(rounds).where(waiting).order_by(rounds.c.created_at).limit(1)
        row = self.conn.execute(query).first()
        return None if row is None else self._load(row)

    def add(self, r: Round) -> None:
        """Insert a new round, with the correlation id of the request that asks for it."""
        asked = correlation.current()
        self.conn.execute(insert(rounds).values(id=r.id, correlation_id=asked, **_columns(r)))
        self._loaded[r.id] = r.state
        self._flush(r)

    def correlation_of(self, round_id: str) -> str | None:
        """The correlation id of the request that asked for the round, if any."""
        query = select(rounds.c.correlation_id).where(rounds.c.id == round_id)
        return self.conn.execute(query).scalar_one_or_none()

    def save(self, r: Round) -> bool:
        """Store ``r`` and its events unless its state changed since it was loaded."""
        changed = self.conn.execute(
            update(rounds)
            .where(rounds.c.id == r.id, rounds.c.state == self._loaded[r.id])
            .values(**_columns(r))
        ).rowcount
        if changed:
            self._loaded[r.id] = r.state
            self._flush(r)
        return bool(changed)

    def add_events(self, events: Iterable[Event]) -> None:
        """Into the outbox, in this order: one INSERT for them all (a publication's
        thousands of match events)."""
        add_events(self.conn, outbox, list(events))

    # -- matches ---------------------------------------------------------------------

    def proposal(self, r: Round) -> Proposal:
        rows = self.conn.execute(select(matches).where(matches.c.round_id == r.id)).all()
        found = [ProposedMatch(tuple(m.members), dict(m.data), bool(m.locked), m.id) for m in rows]
        return Proposal(found, dict(r.report or {}))

    def replace_proposal(self, r: Round, proposal: Proposal) -> None:
        """The proposal's matches replace the round's (new matches get an id)."""
        self.conn.execute(delete(matches).where(matches.c.round_id == r.id))
        for m in proposal.matches:
            m.id = m.id or uuid.uuid4().hex
        rows = [
            {"id": m.id, "round_id": r.id, "kind": r.kind, "members": list(m.members),
             "data": m.data, "locked": int(m.locked)}
            for m in proposal.matches
        ]  # fmt: skip
        if rows:
            self.conn.execute(insert(matches), rows)
        SeatRepository(self.conn).replace(r.id, proposal.matches)
        self.conn.execute(delete(match_members).where(match_members.c.round_id == r.id))
        members = [
            {"member_id": member, "match_id": m.id, "round_id": r.id}
            for m in proposal.matches
            for member in dict.fromkeys(m.members)
        ]  # fmt: skip
        if members:
            self.conn.execute(insert(match_members), members)

    def matches(
        self, round_id: str, page: PageRequest | None = None
    ) -> tuple[list[MatchRecord], int]:
        query = select(matches).where(matches.c.round_id == round_id).order_by(matches.c.id)
        total = self.conn.execute(
            select(func.count()).select_from(matches).where(matches.c.round_id == round_id)
        ).scalar_one()
        if page is not None:
            query = query.limit(page.limit).offset(page.offset)
        return [_record(m) for m in self.conn.execute(query)], int(total)

    def member_matches(self, member_id: str, page: PageRequest) -> tuple[list[MatchRecord], int]:
        """The published matches that include ``member_id``, oldest round first: the
        member's rows of ``match_members`` (its primary key), then those matches by id."""
        mine = and_(match_members.c.member_id == member_id, rounds.c.state == "published")
        joined = match_members.join(rounds, rounds.c.id == match_members.c.round_id).join(
            matches, matches.c.id == match_members.c.match_id
        )
        total = self.conn.execute(select(func.count()).select_from(joined).where(mine)).scalar_one()
        query = (
            select(matches)
            .select_from(joined)
            .where(mine)
            .order_by(rounds.c.created_at, matches.c.id)
            .limit(page.limit)
            .offset(page.offset)
        )
        return [_record(m) for m in self.conn.execute(query)], int(total)

    def open_rounds_of(self, member_id: str) -> set[str]:
        """The published rounds where a match not closed yet names ``member_id`` (as a
        member, or as a group's facilitator): its ``match_members`` rows, then courses."""
        published = rounds.c.state == "published"
        as_member = (
            select(match_members.c.round_id)
            .join(rounds, rounds.c.id == match_members.c.round_id)
            .outerjoin(courses, courses.c.match_id == match_members.c.match_id)
            .where(match_members.c.member_id == member_id, published, courses.c.closed_at.is_(None))
        )
        as_facilitator = (
            select(courses.c.round_id)
            .join(rounds, rounds.c.id == courses.c.round_id)
            .where(courses.c.facilitator_id == member_id, published, courses.c.closed_at.is_(None))
        )
        return set(self.conn.execute(as_member.union(as_facilitator)).scalars())

    # -- history ---------------------------------------------------------------------

    def met_pairs(self, since: datetime | None, excluding: str | None) -> set[Pair]:
        query = select(history.c.member_a, history.c.member_b)
        if excluding:
            query = query.where(history.c.round_id != excluding)
        if since is not None:
            query = query.where(history.c.met_at >= since)
        return {frozenset((a, b)) for a, b in self.conn.execute(query).all()}

    def record_history(self, r: Round, pairs: Iterable[Pair], now: datetime) -> None:
        """One row per pair, handed to the driver as tuples (a seminar's publication is
        tens of thousands of pairs: SQLAlchemy's per-row parameters were most of it)."""
        rows = DriverRows(self.conn, history)
        met_at = rows.bind("met_at", now)
        rows.insert(
            ("round_id", "member_a", "member_b", "kind", "met_at"),
            [(r.id, a, b, r.kind, met_at) for a, b in (sorted(p) for p in pairs)],
        )

    def forget_history(self, round_id: str) -> None:
        self.conn.execute(delete(history).where(history.c.round_id == round_id))

    def forget_member(self, member_id: str) -> set[str]:
        """GDPR erasure: the member leaves the history and every unpublished proposal.

        Returns the published rounds whose matches named them (now tombstoned)."""
        SeatRepository(self.conn).forget_member(member_id)
        self.conn.execute(delete(match_members).where(match_members.c.member_id == member_id))
        self.conn.execute(
            delete(history).where(
                or_(history.c.member_a == member_id, history.c.member_b == member_id)
            )
        )
        pending = self.conn.execute(
            select(matches.c.id, matches.c.members, matches.c.kind)
            .join(rounds, rounds.c.id == matches.c.round_id)
            .where(rounds.c.state.in_(UNPUBLISHED))
        ).all()
        for match_id, member_list, kind in pending:
            if member_id not in member_list:
                continue
            rest = [m for m in member_list if m != member_id]
            if kind == "groups" and rest:
                self.conn.execute(
                    update(matches).where(matches.c.id == match_id).values(members=rest)
                )
            else:
                self._delete_match(match_id)
        return self._tombstone_published(member_id)

    def _tombstone_published(self, member_id: str) -> set[str]:
        """Published matches keep a tombstone in place of the erased member."""
        published = self.conn.execute(
            select(matches.c.id, matches.c.kind, matches.c.members, matches.c.data,
                   matches.c.round_id)
            .join(rounds, rounds.c.id == matches.c.round_id)
            .where(rounds.c.state == "published")
        ).all()  # fmt: skip
        touched: set[str] = set()
        for match_id, kind, member_list, data, round_id in published:
            named = member_id in member_list or member_id in json.dumps(data)
            if not named:
                continue
            touched.add(round_id)
            after = tombstone(kind, list(member_list), data, member_id)
            where = matches.c.id == match_id
            if after is None:
                self._delete_match(match_id)
            else:
                self.conn.execute(
                    update(matches).where(where).values(members=after[0], data=after[1])
                )
        return touched

    def _delete_match(self, match_id: str) -> None:
        self.conn.execute(delete(match_members).where(match_members.c.match_id == match_id))
        self.conn.execute(delete(matches).where(matches.c.id == match_id))

    def _load(self, row: Any) -> Round:
        self._loaded[row.id] = row.state
        return Round(
            id=row.id, client_request_id=row.client_request_id, kind=row.kind, name=row.name,
            scope=RoundScope(**row.scope), parameters=parameters.parse(row.kind, row.parameters),
            requested_by=row.requested_by, created_at=row.created_at, updated_at=row.updated_at,
            state=row.state, progress=row.progress, step=ProgressStep(row.step),
            report=row.report, adjustments=[from_record(a) for a in row.adjustments or []],
            lease_until=row.lease_until, error=row.error, revision=row.revision or 0,
        )  # fmt: skip

    def _flush(self, r: Round) -> None:
        self.add_events(r.events)
        r.events.clear()


def _columns(r: Round) -> dict[str, Any]:
    return {
        "client_request_id": r.client_request_id, "kind": r.kind, "name": r.name,
        "state": r.state, "progress": r.progress, "step": str(r.step),
        "scope": r.scope.model_dump(mode="json"),
        "parameters": r.parameters.model_dump(mode="json"),
        "requested_by": r.requested_by, "report": r.report,
        "adjustments": [as_record(a) for a in r.adjustments], "lease_until": r.lease_until,
        "error": r.error, "created_at": r.created_at, "updated_at": r.updated_at,
        "revision": r.revision,
    }  # fmt: skip


def _record(m: Any) -> MatchRecord:
    return MatchRecord(m.id, m.round_id, m.kind, tuple(m.members), dict(m.data), bool(m.locked))
