"""Registration of a new member: its profile and ``member.registered`` in one transaction.

A member starts at version 1, or, when the same id was erased before, at the version
after the erasure's (the tombstone keeps it), so consumers never ignore the new
registration as stale.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from services.profiles import SERVICE
from services.profiles.adapters import organisation_repository as org
from services.profiles.adapters import repository as repo
from services.profiles.adapters.outbox import add_event
from services.profiles.api.schemas import MemberCreate, MemberPublic
from services.profiles.domain.errors import MemberAlreadyExists
from services.profiles.service_layer import lines
from services.profiles.service_layer.members import (
    checked,
    get_member,
    matching_of,
    refuse_unsafe_webhook,
)
from shared.events import MemberRegistered
from shared.settings import Settings

PRODUCER = SERVICE


def new_member_id() -> str:
    return uuid.uuid4().hex


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
