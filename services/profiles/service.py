"""Use cases of the profiles service: every change commits its outbox event with it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from services.profiles.adapters.orm import members
from services.profiles.adapters.outbox import add_event
from services.profiles.errors import MemberAlreadyExists, MemberNotFound
from services.profiles.schemas import MemberCreate, MemberPublic
from shared.events import MemberRegistered

PRODUCER = "profiles"


def register_member(engine: Engine, data: MemberCreate) -> MemberPublic:
    """Store a new member and its ``member.registered`` event in one transaction."""
    now = datetime.now(UTC)
    member_id = uuid.uuid4().hex
    event = MemberRegistered(
        producer=PRODUCER, member_id=member_id, version=1, profile=data.matching_profile()
    )
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(members).values(
                    id=member_id,
                    email=data.email.lower(),
                    data=data.model_dump(mode="json"),
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
            add_event(conn, event)
    except IntegrityError as exc:
        raise MemberAlreadyExists(f"Un membre avec l'adresse {data.email} existe déjà.") from exc
    return get_member(engine, member_id)


def get_member(engine: Engine, member_id: str) -> MemberPublic:
    with engine.connect() as conn:
        row = conn.execute(select(members).where(members.c.id == member_id)).first()
    if row is None:
        raise MemberNotFound(f"Membre {member_id} introuvable.")
    return MemberPublic(
        **row.data,
        id=row.id,
        version=row.version,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
