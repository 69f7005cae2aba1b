"""Tables of a published match's course: its dates, a group's sessions, closing surveys."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Date, Integer, String, Table, Text

from services.matcher.adapters.orm import metadata
from shared.db import UtcDateTime

# One row per published mentoring pair or group: its course, and its closing.
courses = Table(
    "courses",
    metadata,
    Column("match_id", String(64), primary_key=True),
    Column("round_id", String(64), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("member_ids", JSON, nullable=False),
    Column("facilitator_id", String(64), nullable=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("rhythm_weeks", Integer, nullable=True),
    Column("closed_at", UtcDateTime(), nullable=True),
    Column("closed_reason", String(32), nullable=True),
)

# The sessions a group's facilitator recorded (one per day).
group_sessions = Table(
    "group_sessions",
    metadata,
    Column("match_id", String(64), primary_key=True),
    Column("session_date", Date, primary_key=True),
    Column("attendee_ids", JSON, nullable=False),
    Column("recorded_by", String(64), nullable=False),
)

# Closing surveys; ``comment`` is for HR only and never leaves the matcher in an event.
feedback = Table(
    "feedback",
    metadata,
    Column("match_id", String(64), primary_key=True),
    Column("member_id", String(64), primary_key=True, index=True),
    Column("requested_at", UtcDateTime(), nullable=False),
    Column("satisfaction", Integer, nullable=True),
    Column("would_recommend", Boolean, nullable=True),
    Column("comment", Text, nullable=False, default=""),
    Column("answered_at", UtcDateTime(), nullable=True),
)
