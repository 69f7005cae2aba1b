"""A member acting on their own profile: only the fields they own, nothing disclosed.

HR-owned fields (:mod:`services.profiles.domain.ownership`) are refused with 403
before anything is read or written. A refused self-registration answers the same
whether the caller's id or the e-mail address is taken, so it never tells whether
another member has that address.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine

from services.profiles.api.schemas import MemberCreate, MemberPublic, MemberUpdate
from services.profiles.domain.errors import (
    FieldsOwnedByHr,
    MemberAlreadyExists,
    MemberBusy,
    MemberChanged,
    RegistrationRefused,
)
from services.profiles.domain.ownership import HR_ONLY_AT_REGISTRATION, hr_owned_problems
from services.profiles.service_layer.members import (
    MAX_RETRIES,
    patch_writer,
    to_public,
    update_member,
)
from services.profiles.service_layer.registration import register_member
from shared import group_commit
from shared.settings import Settings


def update_own_profile(
    engine: Engine, member_id: str, patch: MemberUpdate, settings: Settings | None = None
) -> MemberPublic:
    """Apply a member's change to their own profile; 403 naming any HR-owned field."""
    problems = hr_owned_problems(patch.model_fields_set)
    if problems:
        raise FieldsOwnedByHr(problems)
    return update_member(engine, member_id, patch, settings)


async def update_own_profile_async(
    engine: Engine, member_id: str, patch: MemberUpdate, settings: Settings
) -> MemberPublic:
    """:func:`update_own_profile` from async code, holding no thread while it waits.

    The write waits for its group commit (:mod:`shared.group_commit`) in the event
    loop, and the answer is read there (:func:`shared.db.read`). A new chat webhook is
    checked in a thread (its host is resolved), like a database other than SQLite.
    """
    if patch.chat_webhook_url is not None or not group_commit.grouped(engine):
        return await asyncio.to_thread(update_own_profile, engine, member_id, patch, settings)
    problems = hr_owned_problems(patch.model_fields_set)
    if problems:
        raise FieldsOwnedByHr(problems)
    write = patch_writer(member_id, patch)
    for _ in range(MAX_RETRIES):
        try:
            return to_public(await group_commit.run_async(engine, write))
        except MemberChanged:
            continue
    raise MemberBusy()


def register_self(
    engine: Engine, body: MemberCreate, member_id: str, settings: Settings | None = None
) -> MemberPublic:
    """Create the caller's profile; never HR's key nor a place in the organisation."""
    problems = hr_owned_problems(body.model_fields_set, HR_ONLY_AT_REGISTRATION)
    if problems:
        raise FieldsOwnedByHr(problems)
    try:
        return register_member(engine, body, member_id=member_id, settings=settings)
    except MemberAlreadyExists as exc:  # the id or the address: the same answer
        raise RegistrationRefused() from exc
