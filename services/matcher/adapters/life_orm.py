"""Tables of the life of a published match: each person's part, and the durable timers."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table

from services.matcher.adapters.orm import metadata
from shared.db import UtcDateTime

# One row per (match, member) of a published mentoring or groups match.
participations = Table(
    "participations",
    metadata,
    Column("match_id", String(64), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("round_id", String(64), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("state", String(20), nullable=False),
    Column("reason", String(32), nullable=True),
    Column("deadline", UtcDateTime(), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("met", Boolean, nullable=True),
    Column("fit", String(20), nullable=True),
    Column("checked_in_at", UtcDateTime(), nullable=True),
)
Index("ix_participations_member", participations.c.member_id)

# Durable timers, written in the transaction that schedules them; ``fired_at`` is set by
# the conditional UPDATE that claims one, in the transaction that records its effect.
life_timers = Table(
    "life_timers",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("match_id", String(64), nullable=False),
    Column("member_id", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("n", Integer, nullable=False),
    Column("due_at", UtcDateTime(), nullable=False),
    Column("fired_at", UtcDateTime(), nullable=True),
)
Index("ix_life_timers_due", life_timers.c.fired_at, life_timers.c.due_at)
