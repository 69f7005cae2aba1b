"""A seminar's seats by table: all their SQL (the ``seats`` table, revision 0004).

The rotation matches are the record (one per attendee, their seats in ``data``); the
``seats`` rows are derived from them each time a proposal is stored, in the same
transaction, so that a page of tables is read by primary key instead of decoding every
attendee's match.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select

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
        each, and how many tables there are (in ``seminar_round`` only, if given).

        Tables are numbered from 0 in each rotation, so a rotation's tables are counted
        by its highest number and a page is a range of numbers per rotation: every read
        is a range of the primary key. (``DISTINCT`` over the seats read all 18,000
        seats of a 6,000-person rotation for each page: 25 ms.) A table left empty by
        erasures counts and shows nothing.
        """
        sizes = [(r, n) for r, n in self._sizes(round_id)
                 if seminar_round is None or r == seminar_round]  # fmt: skip
        ranges, skip, room = [], page.offset, page.limit
        for r, n in sizes:
            if skip >= n:
                skip -= n
                continue
            if room <= 0:
                break
            take = min(n - skip, room)
            ranges.append(and_(seats.c.seminar_round == r,
                               seats.c.table_no.between(skip, skip + take - 1)))  # fmt: skip
            skip, room = 0, room - take
        total = sum(n for _, n in sizes)
        if not ranges:
            return [], total
        query = (
            select(seats.c.seminar_round, seats.c.table_no, seats.c.member_id)
            .where(seats.c.round_id == round_id, or_(*ranges))
            .order_by(seats.c.seminar_round, seats.c.table_no, seats.c.member_id)
        )
        found: dict[tuple[int, int], list[str]] = {}
        for r, t, member in self.conn.execute(query):
            found.setdefault((int(r), int(t)), []).append(member)
        return [TableSeats(r, t, tuple(ms)) for (r, t), ms in found.items()], total

    def _sizes(self, round_id: str) -> list[tuple[int, int]]:
        """(rotation, tables) of the round, each from one max over its key range."""
        mine = seats.c.round_id == round_id
        last = self.conn.execute(select(func.max(seats.c.seminar_round)).where(mine)).scalar()
        sizes = []
        for r in range(int(last) + 1 if last is not None else 0):
            top = self.conn.execute(
                select(func.max(seats.c.table_no)).where(mine, seats.c.seminar_round == r)
            ).scalar()
            if top is not None:
                sizes.append((r, int(top) + 1))
        return sizes
