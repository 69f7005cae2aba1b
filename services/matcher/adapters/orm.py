"""Tables of the matcher service: the member projection, rounds, matches and history."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, Float, Index, Integer, MetaData, String, Table

from shared.db import UtcDateTime
from shared.outbox import outbox_table

metadata = MetaData()

members = Table(
    "members",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("profile", JSON, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# A member erased at some version never comes back through a stale redelivery; tokens
# issued before ``erased_at`` are refused. No personal data: id, time, last version.
erased_members = Table(
    "erased_members",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("erased_at", UtcDateTime(), nullable=True),
)

processed_events = Table(
    "processed_events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("processed_at", UtcDateTime(), nullable=False),
)

rounds = Table(
    "rounds",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("client_request_id", String(200), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("state", String(20), nullable=False),
    Column("progress", Float, nullable=False),
    Column("step", String(200), nullable=False),
    Column("scope", JSON, nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("report", JSON, nullable=True),
    Column("adjustments", JSON, nullable=False, default=list),
    Column("lease_until", UtcDateTime(), nullable=True),
    Column("error", String(2000), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    # -- added by revision 0006_repairs: how many repairs the round went through ----------
    Column("revision", Integer, nullable=False, server_default="0"),
    # -- added by revision 0012_correlation: the id of the request that asked for it -----
    Column("correlation_id", String(64), nullable=True),
)

matches = Table(
    "matches",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("round_id", String(64), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("members", JSON, nullable=False),
    Column("data", JSON, nullable=False),
    Column("locked", Integer, nullable=False, default=0),
)
# A page of a round's matches in id order, read from the index instead of sorting all
# the round's rows, JSON included (revision 0004_seats_index).
Index("ix_matches_round_order", matches.c.round_id, matches.c.id)

# Where each attendee of a seminar rotation sits: one row per (rotation, table, member),
# derived from the rotation matches' ``data.seats`` whenever a proposal is stored, so a
# page of tables is read by primary key without decoding the round's matches
# (revision 0004_seats_index). ``seminar_round`` and ``table_no`` are 0-based as in
# :class:`shared.events.Seat`.
seats = Table(
    "seats",
    metadata,
    Column("round_id", String(64), primary_key=True),
    Column("seminar_round", Integer, primary_key=True),
    Column("table_no", Integer, primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("match_id", String(64), nullable=False),
)
Index("ix_seats_member", seats.c.member_id)

# Who is a member of which match: one row per (member, match), written with each stored
# proposal, so a member's published matches are read from this key instead of decoding
# every published match's JSON members (revision 0010_member_matches).
match_members = Table(
    "match_members",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("match_id", String(64), primary_key=True),
    Column("round_id", String(64), nullable=False, index=True),
)

# Who met whom, one row per (round, unordered pair); member_a < member_b.
history = Table(
    "history",
    metadata,
    Column("round_id", String(64), primary_key=True),
    Column("member_a", String(64), primary_key=True, index=True),
    Column("member_b", String(64), primary_key=True, index=True),
    Column("kind", String(20), nullable=False),
    Column("met_at", UtcDateTime(), nullable=False),
)

# Who left a published round (revision 0006_repairs); ``repaired_in`` is the revision of
# the repair that took the departure into account (None: not repaired yet).
# ``claimed_until``: lease of the automatic repair working on it; ``coordinator_since``:
# left to the coordinator (policy off, or the automatic repair was refused) (0011_i12_engine).
departures = Table(
    "departures",
    metadata,
    Column("round_id", String(64), primary_key=True),
    Column("member_id", String(64), primary_key=True),
    Column("reason", String(32), nullable=False),
    Column("recorded_at", UtcDateTime(), nullable=False),
    Column("repaired_in", Integer, nullable=True, index=True),
    Column("claimed_until", UtcDateTime(), nullable=True),
    Column("coordinator_since", UtcDateTime(), nullable=True),
)

# One report per repair of a round (revision 0006_repairs).
repairs = Table(
    "repairs",
    metadata,
    Column("round_id", String(64), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("reason", String(32), nullable=False),
    Column("repaired_by", String(64), nullable=False),
    Column("report", JSON, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

outbox = outbox_table(metadata)

# The health projection: one dated fact per event about a published match (its event id
# is the key, so a redelivered event adds nothing). Member ids only, no personal data.
health_facts = Table(
    "health_facts",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("day", Date, nullable=False, index=True),
    Column("match_id", String(64), nullable=False, index=True),
    Column("match_kind", String(20), nullable=False),
    Column("members", JSON, nullable=False),
    Column("score", Float, nullable=True),
    Column("tables", JSON, nullable=False),
)
