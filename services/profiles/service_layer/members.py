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

import networkx as nx
from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from services.profiles import SERVICE
from services.profiles.adapters import catalogue_repository as catalogues
from services.profiles.adapters import organisation_repository as org
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_event, events_of
from services.profiles.api.schemas import (
    HeldEvent,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
    PersonalDataExport,
    Skill,
)
from services.profiles.domain.errors import (
    FieldError,
    InvalidProfile,
    LookupNeedsOneKey,
    MemberAlreadyExists,
    MemberBusy,
    MemberChanged,
    MemberNotFound,
)
from services.profiles.domain.rules import normalise_profile, profile_problems, resolve_terms
from services.profiles.service_layer import lines
from services.profiles.service_layer.lines import matching_of
from services.profiles.service_layer.webhooks import webhook_problems
from shared.events import MemberErased, MemberRegistered
from shared.pagination import Page, PageRequest
from shared.settings import Settings, get_settings
from shared.vocabulary.i18n import has_message

PRODUCER = SERVICE
__all__ = ["matching_of"]
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
    """Validate ``data`` as a whole profile against schema and rules; canonical form.

    Skills and themes named by label or alias are stored by code. A ``manager``
    reference (member id, HR external id or e-mail, of a member or an outside manager)
    is resolved into ``manager_id``; the line is added by the caller.
    """
    data = {k: v for k, v in data.items() if k != "management_line"}
    skills, themes = catalogues.catalogue(conn, "skills"), catalogues.catalogue(conn, "themes")
    try:
        model = MemberCreate.model_validate(normalise_profile(resolve_terms(data, skills, themes)))
    except ValidationError as exc:
        raise InvalidProfile(problems_of(exc)) from exc
    clean = model.model_dump(mode="json")
    problems = profile_problems(clean, skills, member_id, themes)
    if "manager" in data:
        clean["manager_id"] = resolved_manager(conn, clean["manager"], problems)
    del clean["manager"]
    manager = clean.get("manager_id")
    if manager and manager != member_id and not lines.node_exists(conn, manager):
        problems.append(FieldError("manager_id", "unknown_manager", {"manager_id": manager}))
    if problems:
        raise InvalidProfile(problems)
    taken = clean.get("external_id")
    if taken and repo.external_id_taken(conn, taken, member_id):
        raise MemberAlreadyExists("external_id_taken", external_id=taken)
    return clean


def resolved_manager(conn: Connection, reference: str | None, problems: list[FieldError]) -> Any:
    if reference is None:
        return None
    node = lines.resolve_manager(conn, reference)
    if node is None:
        problems.append(FieldError("manager", "unknown_manager_reference", {"manager": reference}))
    return node


def register_member(
    engine: Engine,
    data: MemberCreate,
    member_id: str | None = None,
    settings: Settings | None = None,
) -> MemberPublic:
    """Store a new member and its ``member.registered`` event in one transaction."""
    refuse_unsafe_webhook(data.chat_webhook_url, settings)
    member_id = member_id or new_member_id()
    with engine.begin() as conn:  # MemberAlreadyExists if a concurrent request won
        if repo.member_exists(conn, member_id):
            raise MemberAlreadyExists(member_id=member_id)
        clean = checked(conn, data.model_dump(mode="json", exclude_unset=True), member_id)
        if repo.email_taken(conn, clean["email"]):
            raise MemberAlreadyExists("email_taken", email=clean["email"])
        clean = lines.with_line(lines.graph_of(conn), member_id, clean)
        version = first_version(conn, member_id)
        repo.insert_members(conn, [(member_id, clean)], datetime.now(UTC), version)
        add_event(conn, registered_event(member_id, clean, version))
    return get_member(engine, member_id)


def first_version(conn: Connection, member_id: str) -> int:
    """1, or the version after an erasure's when the same person registers again."""
    tomb = org.tombstone(conn, member_id)
    return 1 if tomb is None else tomb.last_version + 1


def registered_event(member_id: str, clean: dict[str, Any], version: int = 1) -> MemberRegistered:
    return MemberRegistered(
        producer=PRODUCER, member_id=member_id, version=version, profile=matching_of(clean)
    )


def get_member(engine: Engine, member_id: str) -> MemberPublic:
    with engine.connect() as conn:
        row = repo.load(conn, member_id)
    if row is None:
        raise MemberNotFound(member_id=member_id)
    return to_public(row)


def lookup_member(
    engine: Engine, *, external_id: str | None = None, email: str | None = None
) -> MemberPublic:
    """The member with this HR external id or e-mail (exactly one key), else 404."""
    if (external_id is None) == (email is None):
        raise LookupNeedsOneKey()
    with engine.connect() as conn:
        if external_id is not None:
            row = repo.load_by_external_ids(conn, [external_id]).get(external_id)
        else:
            key = (email or "").strip().lower()
            row = repo.load_by_emails(conn, [key]).get(key)
    if row is None:
        raise MemberNotFound("member_not_found_by_key")
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
    conn: Connection,
    row: repo.MemberRecord,
    changes: dict[str, Any],
    now: datetime,
    graph: nx.DiGraph | None = None,
) -> str:
    """Write a member's new data and its event if any; return created/updated/unchanged.

    When the member's manager changed, the members below it whose line changed are
    republished too, unless a ``graph`` is given (the caller republishes at the end).
    Raises :class:`MemberChanged` when the row changed since it was read.
    """
    own_graph = graph is None
    graph = lines.graph_of(conn) if graph is None else graph
    clean = lines.with_line(graph, row.id, checked(conn, merged(row.data, changes), row.id))
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
        add_event(conn, lines.updated_event(row.id, version, clean))
    if own_graph and clean.get("manager_id") != row.data.get("manager_id"):
        lines.republish_below(conn, graph, [row.id], now)
    return "updated"


def refuse_unsafe_webhook(url: str | None, settings: Settings | None) -> None:
    problems = webhook_problems(url, settings or get_settings())
    if problems:
        raise InvalidProfile(problems)


def update_member(
    engine: Engine, member_id: str, patch: MemberUpdate, settings: Settings | None = None
) -> MemberPublic:
    """Apply a partial update; retried when a concurrent write got there first."""
    refuse_unsafe_webhook(patch.chat_webhook_url, settings)
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
    org.bury(conn, member_id, row.version + 1, now)
    add_event(conn, MemberErased(producer=PRODUCER, member_id=member_id, version=row.version + 1))


def erased_since(engine: Engine, member_id: str, issued_at: float) -> bool:
    """True when ``member_id`` was erased at or after ``issued_at`` (a token's ``iat``)."""
    with engine.connect() as conn:
        tomb = org.tombstone(conn, member_id)
    return tomb is not None and tomb.erased_at.timestamp() >= issued_at


def list_members(engine: Engine, where: repo.MemberFilter, page: PageRequest) -> Page[MemberPublic]:
    with engine.connect() as conn:
        rows, total = repo.list_members(conn, where, page.offset, page.limit)
    return Page[MemberPublic].of([to_public(r) for r in rows], total, page)


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
