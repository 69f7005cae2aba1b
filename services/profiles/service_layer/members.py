"""Use cases on members: every change commits its outbox event in the same transaction.

Versions: a member starts at version 1 (``member.registered``, :mod:`registration`);
each change of a matching attribute adds one (``member.profile_updated`` with the full
snapshot); the erasure takes the next one (``member.erased``, :mod:`personal_data`).
Contact-only changes (name, email, channels) emit nothing: events never carry
contact data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import networkx as nx
from pydantic import ValidationError
from sqlalchemy import Connection, Engine

from services.profiles.adapters import catalogue_repository as catalogues
from services.profiles.adapters import member_queries as queries
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_event
from services.profiles.api.schemas import (
    MemberContact,
    MemberCreate,
    MemberName,
    MemberPublic,
    MemberUpdate,
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
from shared import group_commit
from shared.pagination import Page, PageRequest
from shared.settings import Settings, get_settings
from shared.vocabulary.i18n import has_message

__all__ = ["matching_of"]
MAX_RETRIES = 20


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


def checked(
    conn: Connection,
    data: dict[str, Any],
    member_id: str,
    stored: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate ``data`` as a whole profile against schema and rules; canonical form.

    Skills and themes named by label or alias are stored by code. A ``manager``
    reference (member id, HR external id or e-mail, of a member or an outside manager)
    is resolved into ``manager_id``; the line is added by the caller. With the
    member's ``stored`` data, a manager or HR key it already had is not looked up
    again (an erasure drops its reports' manager; HR keys are unique in the table).
    """
    left_on = data.get("left_on")  # set by HR deactivation only (:mod:`deactivation`)
    data = {k: v for k, v in data.items() if k not in ("management_line", "left_on")}
    skills, themes = catalogues.kept_catalogues(conn)
    before = stored or {}
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
    if (
        manager
        and manager not in (member_id, before.get("manager_id"))
        and not lines.node_exists(conn, manager)
    ):
        problems.append(FieldError("manager_id", "unknown_manager", {"manager_id": manager}))
    if problems:
        raise InvalidProfile(problems)
    if left_on:
        clean["left_on"] = left_on
    taken = clean.get("external_id")
    if (
        taken
        and taken != before.get("external_id")
        and repo.external_id_taken(conn, taken, member_id)
    ):
        raise MemberAlreadyExists("external_id_taken", external_id=taken)
    return clean


def resolved_manager(conn: Connection, reference: str | None, problems: list[FieldError]) -> Any:
    if reference is None:
        return None
    node = lines.resolve_manager(conn, reference)
    if node is None:
        problems.append(FieldError("manager", "unknown_manager_reference", {"manager": reference}))
    return node


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
            row = queries.load_by_external_ids(conn, [external_id]).get(external_id)
        else:
            key = (email or "").strip().lower()
            row = queries.load_by_emails(conn, [key]).get(key)
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


def same_manager(stored: dict[str, Any], clean: dict[str, Any]) -> bool:
    """True when ``clean`` keeps the stored manager and the stored data has its line."""
    return "management_line" in stored and clean.get("manager_id") == stored.get("manager_id")


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
    return changed_record(conn, row, changes, now, graph)[0]


def changed_record(
    conn: Connection,
    row: repo.MemberRecord,
    changes: dict[str, Any],
    now: datetime,
    graph: nx.DiGraph | None = None,
) -> tuple[str, repo.MemberRecord]:
    """:func:`apply_changes`, and the member as it is now stored."""
    clean = checked(conn, merged(row.data, changes), row.id, row.data)
    own_graph = graph is None
    if own_graph and same_manager(row.data, clean):
        # the stored line is kept in step with the organisation by every change of it
        # (lines.republish_below): no need to read the whole organisation graph
        clean["management_line"] = list(row.data["management_line"])
    else:
        graph = lines.graph_of(conn) if graph is None else graph
        clean = lines.with_line(graph, row.id, clean)
    if clean == row.data:
        return "unchanged", row
    if clean["email"] != row.email and repo.email_taken(conn, clean["email"], row.id):
        raise MemberAlreadyExists("email_taken", email=clean["email"])
    profile = matching_of(clean)
    bump = profile != matching_of(row.data)
    version = row.version + 1 if bump else row.version
    if not repo.update_member(conn, row, clean, version, now):
        raise MemberChanged()
    if bump:
        add_event(conn, lines.updated_event(row.id, version, clean, profile))
    if own_graph and graph is not None and not same_manager(row.data, clean):
        lines.republish_below(conn, graph, [row.id], now)
    return "updated", repo.updated_record(row, clean, version, now)


def refuse_unsafe_webhook(url: str | None, settings: Settings | None) -> None:
    problems = webhook_problems(url, settings or get_settings())
    if problems:
        raise InvalidProfile(problems)


def patch_writer(member_id: str, patch: MemberUpdate) -> Callable[[Connection], repo.MemberRecord]:
    """The write of a partial update, for :mod:`shared.group_commit`: it returns the
    member as stored by it, so the answer needs no second read."""
    changes = patch.changes()

    def write(conn: Connection) -> repo.MemberRecord:
        row = repo.load(conn, member_id, for_update=True)
        if row is None:
            raise MemberNotFound(member_id=member_id)
        return changed_record(conn, row, changes, datetime.now(UTC))[1]

    return write


def update_member(
    engine: Engine, member_id: str, patch: MemberUpdate, settings: Settings | None = None
) -> MemberPublic:
    """Apply a partial update; retried when a concurrent write got there first."""
    refuse_unsafe_webhook(patch.chat_webhook_url, settings)
    write = patch_writer(member_id, patch)
    for _ in range(MAX_RETRIES):
        try:
            return to_public(group_commit.run(engine, write))  # once it is on disk
        except MemberChanged:
            continue
    raise MemberBusy()


def list_members(
    engine: Engine, where: queries.MemberFilter, page: PageRequest
) -> Page[MemberPublic]:
    with engine.connect() as conn:
        rows, total = queries.list_members(conn, where, page.offset, page.limit)
    return Page[MemberPublic].of([to_public(r) for r in rows], total, page)


def list_contacts(engine: Engine, ids: tuple[str, ...], page: PageRequest) -> Page[MemberContact]:
    """The members of ``ids`` as :class:`MemberContact`: the notifier decoded a full profile
    per person named in a message (~10 per group e-mail), issue 14."""
    found = list_members(engine, queries.MemberFilter(ids=ids), page)
    fields = set(MemberContact.model_fields)
    contacts = [MemberContact.model_validate(m.model_dump(include=fields)) for m in found.items]
    return Page[MemberContact].of(contacts, found.total, page)


def list_names(engine: Engine, where: queries.MemberFilter, page: PageRequest) -> Page[MemberName]:
    """The same members as :func:`list_members`, as id, name and site only."""
    with engine.connect() as conn:
        rows, total = queries.list_names(conn, where, page.offset, page.limit)
    return Page[MemberName].of([MemberName.model_validate(r) for r in rows], total, page)
