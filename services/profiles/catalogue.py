"""Use cases on the skills catalogue that HR manages.

Codes are stable slugs (they travel in events); labels can change freely. An entry
that a member has or wants cannot be deleted (409), so no profile loses a skill.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, Row, delete, insert, update
from sqlalchemy.exc import IntegrityError

from services.profiles.adapters import repository as repo
from services.profiles.adapters.orm import skills
from services.profiles.domain.rules import slugify
from services.profiles.errors import InvalidSkill, SkillAlreadyExists, SkillInUse, SkillNotFound
from services.profiles.schemas import SLUG_PATTERN, Skill, SkillCreate, SkillUpdate


def to_skill(row: Row[Any]) -> Skill:
    return Skill(
        code=row.code,
        kind=row.kind,
        label=row.label,
        label_en=row.label_en,
        members=int(row.members),
    )


def list_skills(engine: Engine) -> list[Skill]:
    with engine.connect() as conn:
        return [to_skill(r) for r in repo.skill_rows(conn)]


def get_skill(engine: Engine, code: str) -> Skill:
    with engine.connect() as conn:
        rows = repo.skill_rows(conn, [code])
    if not rows:
        raise SkillNotFound(f"Compétence « {code} » absente du catalogue.")
    return to_skill(rows[0])


def create_skill(engine: Engine, data: SkillCreate) -> Skill:
    code = data.code or slugify(data.label)[:64]
    if not re.fullmatch(SLUG_PATTERN, code):
        raise InvalidSkill(
            f"Impossible de dériver un code du libellé « {data.label} » ; indiquez « code »."
        )
    now = datetime.now(UTC)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(skills).values(
                    code=code,
                    kind=data.kind,
                    label=data.label,
                    label_en=data.label_en,
                    created_at=now,
                    updated_at=now,
                )
            )
    except IntegrityError as exc:
        raise SkillAlreadyExists(f"La compétence « {code} » existe déjà.") from exc
    return get_skill(engine, code)


def update_skill(engine: Engine, code: str, data: SkillUpdate) -> Skill:
    values = data.model_dump(exclude_unset=True, exclude_none=True)
    with engine.begin() as conn:
        result = conn.execute(
            update(skills)
            .where(skills.c.code == code)
            .values(**values, updated_at=datetime.now(UTC))
        )
    if result.rowcount != 1:
        raise SkillNotFound(f"Compétence « {code} » absente du catalogue.")
    return get_skill(engine, code)


def delete_skill(engine: Engine, code: str) -> None:
    skill = get_skill(engine, code)
    if skill.members:
        raise SkillInUse(
            f"La compétence « {code} » est citée par {skill.members} membre(s) ; "
            "retirez-la de leurs profils avant de la supprimer."
        )
    try:
        with engine.begin() as conn:
            conn.execute(delete(skills).where(skills.c.code == code))
    except IntegrityError as exc:  # a member cited it meanwhile
        raise SkillInUse(f"La compétence « {code} » vient d'être citée par un membre.") from exc
