"""A member's rights over their data: the export (GDPR article 15) and the erasure (17).

The erasure deletes the profile, drops the manager links of the member's reports,
purges the events already sent, keeps a PII-free tombstone (id, when, last version)
and publishes ``member.erased``; tokens issued before it are refused
(:func:`erased_since`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from services.profiles import SERVICE
from services.profiles.adapters import catalogue_repository as catalogues
from services.profiles.adapters import member_queries as queries
from services.profiles.adapters import organisation_repository as org
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_event, events_of
from services.profiles.api.schemas import HeldEvent, PersonalDataExport, Skill
from services.profiles.domain.errors import MemberBusy, MemberChanged, MemberNotFound
from services.profiles.service_layer.members import MAX_RETRIES, apply_changes, to_public
from shared.events import MemberErased

PRODUCER = SERVICE


def erase_member(engine: Engine, member_id: str) -> None:
    """GDPR erasure: delete the row, publish ``member.erased``, drop the manager links."""
    for _ in range(MAX_RETRIES):
        try:
            with engine.begin() as conn:
                _erase(conn, member_id, datetime.now(UTC))
            return
        except MemberChanged:
            continue
    raise MemberBusy()


def _erase(conn: Connection, member_id: str, now: datetime) -> None:
    row = repo.load(conn, member_id, for_update=True)
    if row is None:
        raise MemberNotFound(member_id=member_id)
    for report in queries.reports_of(conn, member_id):
        apply_changes(conn, report, {"manager_id": None}, now)
    if not repo.delete_member(conn, row):
        raise MemberChanged()
    repo.purge_sent_events(conn, member_id)
    org.bury(conn, member_id, row.version + 1, now)
    add_event(conn, MemberErased(producer=PRODUCER, member_id=member_id, version=row.version + 1))


def erased_since(engine: Engine, member_id: str, issued_at: float) -> bool:
    """True when ``member_id`` was erased at or after ``issued_at`` (a token's ``iat``)."""
    with engine.connect() as conn:
        erased = org.erased_at(conn, member_id)
    return erased is not None and erased.timestamp() >= issued_at


def export_personal_data(engine: Engine, member_id: str) -> PersonalDataExport:
    """Everything held about the member: profile, cited catalogue entries, held events."""
    with engine.connect() as conn:
        row = repo.load(conn, member_id)
        if row is None:
            raise MemberNotFound(member_id=member_id)
        codes = {*row.data.get("skills", {}), *row.data.get("skills_wanted", [])}
        skills = [Skill.model_validate(e) for e in catalogues.entries(conn, "skills", codes)]
        held = [HeldEvent.model_validate(e) for e in events_of(conn, member_id)]
    return PersonalDataExport(
        exported_at=datetime.now(UTC), member=to_public(row), skills=skills, events=held
    )
