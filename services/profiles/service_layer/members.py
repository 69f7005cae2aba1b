"""Use cases on members: every change commits its outbox event in the same transaction.

Versions: a member starts at version 1 (``member.registered``); each change of a
matching attribute adds one (``member.profile_updated`` with the full snapshot); the
erasure takes the next one (``member.erased``). Contact-only changes (name, email,
channels) emit nothing: events never carry contact data.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from services.profiles import SERVICE
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_event, events_of
from services.profiles.api.schemas import (
    MATCHING_FIELDS,
    HeldEvent,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
    PersonalDataExport,
)
from services.profiles.domain.errors import (
    FieldError,
    InvalidProfile,
    MemberAlreadyExists,
    MemberBusy,
    MemberChanged,
    MemberNotFound,
)
from services.profiles.domain.rules import normalise_profile, profile_problems
from shared.events import MatchingProfile, MemberErased, MemberProfileUpdated, MemberRegistered
from shared.pagination import Page, PageRequest
from shared.vocabulary.i18n import has_message

PRODUCER = SERVICE
MAX_RETRIES = 20


def new_member_id() -> str:
    return uuid.uuid4().hex


def to_public(row: repo.MemberRecord) -> MemberPublic:
    return MemberPublic(
        **row.data,
        id=row.id,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def matching_of(data: dict[str, Any]) -> MatchingProfile:
    return MatchingProfile.model_validate({k: v for k, v in data.items() if k in MATCHING_FIELDS})


def problems_of(exc: ValidationError) -> list[FieldError]:
    """Pydantic's errors as field errors: ``validation.<type>`` codes and their values."""
    return [
        FieldError(
            ".".join(str(p) for p in err["loc"]) or "body",
            f"validation.{err['type']}"
            if has_message(f"validation.{err['type']}")
            else "validation.unknown",
            {k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, str | int | float)},
        )
        for err in exc.errors()
    ]


def checked(conn: Connection, data: dict[str, Any], member_id: str) -> dict[str, Any]:
    """Validate ``data`` as a whole profile against schema and rules; canonical form."""
    try:
        model = MemberCreate.model_validate(normalise_profile(data))
    except ValidationError as exc:
        raise InvalidProfile(problems_of(exc)) from exc
    clean = model.model_dump(mode="json")
    problems = profile_problems(clean, repo.catalogue(conn), member_id)
    manager = clean.get("manager_id")
    if manager and manager != member_id and not repo.member_exists(conn, manager):
        problems.append(FieldError("manager_id", "unknown_manager", {"manager_id": manager}))
    if problems:
        raise InvalidProfile(problems)
    return clean


def register_member(
    engine: Engine, data: MemberCreate, member_id: str | None = None
) -> MemberPublic:
    """Store a new member and its ``member.registered`` event in one transaction."""
    member_id = member_id or new_member_id()
    with engine.begin() as conn:  # MemberAlreadyExists if a concurrent request won
        if repo.member_exists(conn, member_id):
            raise MemberAlreadyExists(member_id=member_id)
        clean = checked(conn, data.model_dump(mode="json"), member_id)
        if repo.email_taken(conn, clean["email"]):
            raise MemberAlreadyExists("email_taken", email=clean["email"])
        repo.insert_members(conn, [(member_id, clean)], datetime.now(UTC))
        add_event(conn, registered_event(member_id, clean))
    return get_member(engine, member_id)


def registered_event(member_id: str, clean: dict[str, Any]) -> MemberRegistered:
    return MemberRegistered(
        producer=PRODUCER, member_id=member_id, version=1, profile=matching_of(clean)
    )


def get_member(engine: Engine, member_id: str) -> MemberPublic:
    with engine.connect() as conn:
        row = repo.load(conn, member_id)
    if row is None:
        raise MemberNotFound(member_id=member_id)
    return to_public(row)


def merged(current: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``current`` with ``changes`` applied; nested objects are merged key by key."""
    out = dict(current)
    for key, value in changes.items():
        if isinstance(value, dict) and key in ("availability", "opt_ins"):
            out[key] = {**(current.get(key) or {}), **value}
        else:
            out[key] = value
    return out


def apply_changes(
    conn: Connection, row: repo.MemberRecord, changes: dict[str, Any], now: datetime
) -> str:
    """Write a member's new data and its event if any; return created/updated/unchanged.

    Raises :class:`MemberChanged` when the row changed since it was read.
    """
    clean = checked(conn, merged(row.data, changes), row.id)
    if clean == row.data:
        return "unchanged"
    if clean["email"] != row.email and repo.email_taken(conn, clean["email"], row.id):
        raise MemberAlreadyExists("email_taken", email=clean["email"])
    profile = matching_of(clean)
    bump = profile != matching_of(row.data)
    version = row.version + 1 if bump else row.version
    if not repo.update_member(conn, row, clean, version, now):
        raise MemberChanged()
    if bump:
        add_event(
            conn,
            MemberProfileUpdated(
                producer=PRODUCER, member_id=row.id, version=version, profile=profile
            ),
        )
    return "updated"


def update_member(engine: Engine, member_id: str, patch: MemberUpdate) -> MemberPublic:
    """Apply a partial update; retried when a concurrent write got there first."""
    for _ in range(MAX_RETRIES):
        try:
            with engine.begin() as conn:
                row = repo.load(conn, member_id)
                if row is None:
                    raise MemberNotFound(member_id=member_id)
                apply_changes(conn, row, patch.changes(), datetime.now(UTC))
            return get_member(engine, member_id)
        except MemberChanged:
            continue
    raise MemberBusy()


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
    row = repo.load(conn, member_id)
    if row is None:
        raise MemberNotFound(member_id=member_id)
    for report in repo.reports_of(conn, member_id):
        apply_changes(conn, report, {"manager_id": None}, now)
    if not repo.delete_member(conn, row):
        raise MemberChanged()
    repo.purge_sent_events(conn, member_id)
    add_event(conn, MemberErased(producer=PRODUCER, member_id=member_id, version=row.version + 1))


def list_members(engine: Engine, where: repo.MemberFilter, page: PageRequest) -> Page[MemberPublic]:
    with engine.connect() as conn:
        rows, total = repo.list_members(conn, where, page.offset, page.limit)
    return Page[MemberPublic].of([to_public(r) for r in rows], total, page)


def export_personal_data(engine: Engine, member_id: str) -> PersonalDataExport:
    """Everything held about the member: profile, cited catalogue entries, held events."""
    from services.profiles.service_layer.catalogue import to_skill

    with engine.connect() as conn:
        row = repo.load(conn, member_id)
        if row is None:
            raise MemberNotFound(member_id=member_id)
        codes = {*row.data.get("skills", {}), *row.data.get("skills_wanted", [])}
        skills = [to_skill(r) for r in repo.skill_rows(conn, codes)]
        held = [HeldEvent.model_validate(e) for e in events_of(conn, member_id)]
    return PersonalDataExport(
        exported_at=datetime.now(UTC), member=to_public(row), skills=skills, events=held
    )
