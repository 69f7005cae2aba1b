"""Reads for people: a member's inbox, a round's delivery log (erasure: erasure_repository)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update

from services.notifier.adapters.orm import deliveries as d
from services.notifier.adapters.writes import writing
from shared.pagination import PageRequest


def round_log(engine: Engine, round_id: str, page: PageRequest) -> tuple[dict[str, int], list[Any]]:
    """Counts by status (the whole round) and one page of its rows, for coordinators."""
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
            .limit(page.limit)
            .offset(page.offset)
        ).all()
    return {k: int(v) for k, v in counts.items()}, list(rows)


def inbox(engine: Engine, member_id: str, page: PageRequest) -> tuple[int, list[Any]]:
    """How many entries the member's inbox holds, and one page of them (newest first)."""
    mine = (d.c.member_id == member_id, d.c.channel == "inapp", d.c.status != "skipped")
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(d).where(*mine)).scalar_one()
        rows = conn.execute(
            select(d)
            .where(*mine)
            .order_by(d.c.created_at.desc(), d.c.match_id)
            .limit(page.limit)
            .offset(page.offset)
        ).all()
    return int(total), list(rows)


def mark_read(engine: Engine, member_id: str, entry_id: str, now: datetime) -> bool:
    with writing(engine) as conn:
        result = conn.execute(
            update(d)
            .where(d.c.id == entry_id, d.c.member_id == member_id, d.c.channel == "inapp")
            .values(read_at=func.coalesce(d.c.read_at, now))
        )
    return bool(result.rowcount)
