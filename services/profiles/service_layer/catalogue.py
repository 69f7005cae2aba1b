"""Use cases on the skills catalogue that HR manages.

Codes are stable slugs (they travel in events); labels can change freely. An entry
that a member has or wants cannot be deleted (409), so no profile loses a skill.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import Engine

from services.profiles.adapters import repository as repo
from services.profiles.api.schemas import SLUG_PATTERN, Skill, SkillCreate, SkillUpdate
from services.profiles.domain.errors import (
    FieldError,
    InvalidSkill,
    SkillInUse,
    SkillNotFound,
)
from services.profiles.domain.rules import slugify
from shared.pagination import Page, PageRequest


def to_skill(row: repo.SkillRecord) -> Skill:
    return Skill(
        code=row.code,
        kind=row.kind,
        label=row.label,
        label_en=row.label_en,
        members=int(row.members),
    )


def list_skills(engine: Engine, page: PageRequest) -> Page[Skill]:
    with engine.connect() as conn:
        rows = repo.skill_rows(conn, offset=page.offset, limit=page.limit)
        total = repo.count_skills(conn)
    return Page[Skill].of([to_skill(r) for r in rows], total, page)


def get_skill(engine: Engine, code: str) -> Skill:
    with engine.connect() as conn:
        rows = repo.skill_rows(conn, [code])
    if not rows:
        raise SkillNotFound(code=code)
    return to_skill(rows[0])


def create_skill(engine: Engine, data: SkillCreate) -> Skill:
    code = data.code or slugify(data.label)[:64]
    if not re.fullmatch(SLUG_PATTERN, code):
        raise InvalidSkill(
            field_errors=[FieldError("code", "skill_code_underivable", {"label": data.label})]
        )
    now = datetime.now(UTC)
    with engine.begin() as conn:  # SkillAlreadyExists when the code is taken
        repo.insert_skill(
            conn,
            {"code": code, "kind": data.kind, "label": data.label, "label_en": data.label_en},
            now,
        )
    return get_skill(engine, code)


def update_skill(engine: Engine, code: str, data: SkillUpdate) -> Skill:
    values = data.model_dump(exclude_unset=True, exclude_none=True)
    with engine.begin() as conn:
        found = repo.update_skill(conn, code, values, datetime.now(UTC))
    if not found:
        raise SkillNotFound(code=code)
    return get_skill(engine, code)


def delete_skill(engine: Engine, code: str) -> None:
    skill = get_skill(engine, code)
    if skill.members:
        raise SkillInUse(code=code, n=skill.members)
    with engine.begin() as conn:  # SkillInUse when a member cited it meanwhile
        repo.delete_skill(conn, code)
