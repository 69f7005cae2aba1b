"""HR deactivation: the member left the company.

The profile stays (HR keeps its record, the member's history stays in the statistics)
with ``left_on`` set, the member's version is bumped and ``member.deactivated`` (the
full matching snapshot, ``left_on`` included) is written in the same transaction. The
matcher treats it as a departure from every published round the member is in and never
matches them again; every later ``member.profile_updated`` keeps ``left_on``.
Deactivating a member who already left changes nothing and emits nothing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine

from services.profiles import SERVICE
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_event
from services.profiles.api.schemas import MemberPublic
from services.profiles.domain.errors import MemberBusy, MemberChanged, MemberNotFound
from services.profiles.service_layer.members import MAX_RETRIES, matching_of, to_public
from shared.events import MemberDeactivated


def deactivate_member(engine: Engine, member_id: str, left_on: date | None = None) -> MemberPublic:
    """Mark ``member_id`` as having left the company on ``left_on`` (default: today).

    Retried when a concurrent write got there first (optimistic lock on the row).
    """
    for _ in range(MAX_RETRIES):
        try:
            with engine.begin() as conn:
                return to_public(deactivate_in(conn, member_id, left_on, datetime.now(UTC)))
        except MemberChanged:
            continue
    raise MemberBusy()


def deactivate_in(
    conn: Connection, member_id: str, left_on: date | None, now: datetime
) -> repo.MemberRecord:
    """The deactivation inside the caller's transaction (the API's, a CSV import's).

    Raises :class:`MemberChanged` when the row changed since it was read.
    """
    row = repo.load(conn, member_id, for_update=True)
    if row is None:
        raise MemberNotFound(member_id=member_id)
    if row.data.get("left_on"):
        return row  # already gone: idempotent, nothing new to tell
    data = {**row.data, "left_on": (left_on or now.date()).isoformat()}
    version = row.version + 1
    if not repo.update_member(conn, row, data, version, now):
        raise MemberChanged()
    event = MemberDeactivated(
        producer=SERVICE, member_id=member_id, version=version, profile=matching_of(data)
    )
    add_event(conn, event)
    return repo.updated_record(row, data, version, now)
