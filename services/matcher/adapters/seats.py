"""A seminar's seats by table: all their SQL (the ``seats`` table, revision 0004).

The rotation matches are the record (one per attendee, their seats in ``data``); the
``seats`` rows are derived from them each time a proposal is stored, in the same
transaction, so that a page of tables is read by primary key instead of decoding every
attendee's match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select

from services.matcher.adapters.orm import seats
from services.matcher.domain.kinds.base import ProposedMatch, TableSeats
from shared.pagination import PageRequest


def seat_rows(round_id: str, matches: Iterable[ProposedMatch]) -> list[dict[str, Any]]:
    """The ``seats`` rows of a proposal's matches (none for kinds without seats)."""
    return [
        {"round_id": round_id, "seminar_round": int(s["seminar_round"]),
         "table_no": int(s["table"]), "member_id": m.members[0], "match_id": m.id}
        for m in matches
        for s in (m.data.get("seats") or ())
    ]  # fmt: skip


class SeatRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def replace(self, round_id: str, matches: Iterable[ProposedMatch]) -> None:
        self.conn.execute(delete(seats).where(seats.c.round_id == round_id))
        rows = seat_rows(round_id, matches)
        if rows:
            self.conn.execute(insert(seats), rows)

    def forget_member(self, member_id: str) -> None:
        """Erasure: an erased attendee keeps no seat (their rotation match is gone too)."""
        self.conn.execute(delete(seats).where(seats.c.member_id == member_id))

    def tables(
        self, round_id: str, seminar_round: int | None, page: PageRequest
    ) -> tuple[list[TableSeats], int]:
        """One page of the round's tables in (rotation, table) order, with who sits at
        each, and how many tables there are (in ``seminar_round`` only, if given)."""
        where = [seats.c.round_id == round_id]
        if seminar_round is not None:
            where.append(seats.c.seminar_round == seminar_round)
        keys = select(seats.c.seminar_round, seats.c.table_no).where(*where).distinct()
        total = self.conn.execute(select(func.count()).select_from(keys.subquery())).scalar_one()
        wanted = (
            keys.order_by(seats.c.seminar_round, seats.c.table_no)
            .limit(page.limit)
            .offset(page.offset)
            .subquery()
        )
        same_table = and_(
            seats.c.seminar_round == wanted.c.seminar_round,
            seats.c.table_no == wanted.c.table_no,
        )
        query = (
            select(seats.c.seminar_round, seats.c.table_no, seats.c.member_id)
            .join(wanted, same_table)
            .where(seats.c.round_id == round_id)
            .order_by(seats.c.seminar_round, seats.c.table_no, seats.c.member_id)
        )
        found: dict[tuple[int, int], list[str]] = {}
        for r, t, member in self.conn.execute(query):
            found.setdefault((int(r), int(t)), []).append(member)
        return [TableSeats(r, t, tuple(ms)) for (r, t), ms in found.items()], int(total)
