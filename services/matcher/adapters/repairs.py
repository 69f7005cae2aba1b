"""Departures from published rounds and the reports of their repairs: all their SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from services.matcher.adapters.orm import departures, repairs
from services.matcher.domain.errors import InvalidTransition


class RepairRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record_departure(self, round_id: str, member_id: str, reason: str, now: datetime) -> bool:
        """Note that ``member_id`` left ``round_id``; False when already noted and unrepaired."""
        key = and_(departures.c.round_id == round_id, departures.c.member_id == member_id)
        row = self.conn.execute(select(departures.c.repaired_in).where(key)).first()
        if row is None:
            self.conn.execute(
                insert(departures).values(
                    round_id=round_id, member_id=member_id, reason=reason, recorded_at=now
                )
            )
            return True
        if row.repaired_in is None:
            return False
        self.conn.execute(
            update(departures)
            .where(key)
            .values(
                reason=reason, recorded_at=now, repaired_in=None, claimed_until=None,
                coordinator_since=None,
            )
        )  # fmt: skip
        return True

    def departures(self, round_id: str) -> list[dict[str, Any]]:
        """Every departure of the round, oldest first (repaired ones too)."""
        query = (
            select(departures)
            .where(departures.c.round_id == round_id)
            .order_by(departures.c.recorded_at, departures.c.member_id)
        )
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def pending(self, round_id: str) -> set[str]:
        """Members who left the round and no repair has taken into account yet."""
        query = select(departures.c.member_id).where(
            departures.c.round_id == round_id, departures.c.repaired_in.is_(None)
        )
        return {m for (m,) in self.conn.execute(query)}

    def departed(self, round_id: str) -> set[str]:
        """Everyone who ever left the round (a repaired departure stays out of it)."""
        query = select(departures.c.member_id).where(departures.c.round_id == round_id)
        return {m for (m,) in self.conn.execute(query)}

    def mark_repaired(self, round_id: str, members: Iterable[str], revision: int) -> None:
        self.conn.execute(
            update(departures)
            .where(
                departures.c.round_id == round_id,
                departures.c.member_id.in_(list(members)),
                departures.c.repaired_in.is_(None),
            )
            .values(repaired_in=revision)
        )

    # -- automatic repairs: claimed by a conditional UPDATE, resumed after a restart ----

    def _open(self, round_id: str | None, now: datetime) -> Any:
        """Departures an automatic repair may take: not repaired, not left to the
        coordinator, and no live claim (none, or its lease ran out: a stopped matcher)."""
        free = or_(departures.c.claimed_until.is_(None), departures.c.claimed_until < now)
        where = and_(
            departures.c.repaired_in.is_(None), departures.c.coordinator_since.is_(None), free
        )
        return where if round_id is None else and_(where, departures.c.round_id == round_id)

    def claim_auto(self, round_id: str, now: datetime, until: datetime) -> bool:
        """Claim the round's open departures for an automatic repair until ``until``;
        False when there is none (repaired, left to the coordinator, or claimed)."""
        claimed = self.conn.execute(
            update(departures).where(self._open(round_id, now)).values(claimed_until=until)
        )
        return bool(claimed.rowcount)

    def release_auto(self, round_id: str, coordinator_since: datetime | None = None) -> None:
        """End the round's claims: free again, or (``coordinator_since``) left to the
        coordinator."""
        self.conn.execute(
            update(departures)
            .where(departures.c.round_id == round_id, departures.c.repaired_in.is_(None),
                   departures.c.claimed_until.is_not(None))
            .values(claimed_until=None, coordinator_since=coordinator_since)
        )  # fmt: skip

    def hand_over(self, round_id: str, now: datetime) -> None:
        """Leave the round's open departures to the coordinator (its policy is off)."""
        self.conn.execute(
            update(departures).where(self._open(round_id, now)).values(coordinator_since=now)
        )

    def resumable(self, now: datetime, limit: int) -> dict[str, str]:
        """Rounds with open departures (an automatic repair to do or to resume) and the
        reason of the oldest, oldest first."""
        query = (
            select(departures.c.round_id, departures.c.reason)
            .where(self._open(None, now))
            .order_by(departures.c.recorded_at, departures.c.round_id)
        )
        found: dict[str, str] = {}
        for round_id, reason in self.conn.execute(query):
            found.setdefault(round_id, reason)
            if len(found) >= limit:
                break
        return found

    def add_report(
        self, round_id: str, revision: int, reason: str, by: str, report: dict[str, Any],
        now: datetime,
    ) -> None:  # fmt: skip
        """Store a repair's report (a second repair racing to the same revision fails here)."""
        try:
            self.conn.execute(
                insert(repairs).values(
                    round_id=round_id, revision=revision, reason=reason, repaired_by=by,
                    report=report, created_at=now,
                )
            )  # fmt: skip
        except IntegrityError as exc:
            raise InvalidTransition(state="published", action="repair") from exc

    def reports(self, round_id: str) -> list[dict[str, Any]]:
        query = select(repairs).where(repairs.c.round_id == round_id).order_by(repairs.c.revision)
        return [dict(r._mapping) for r in self.conn.execute(query)]
