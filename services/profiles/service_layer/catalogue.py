"""Use cases on the skills and themes catalogues that HR manages.

Codes are stable slugs (they travel in events); labels and aliases can change freely.
An entry a member cites cannot be deleted (409), so no profile loses a skill or theme.
A new name that another entry already answers to, give or take accents, articles,
spacing and underscores, is refused (409 naming that entry) unless ``force``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Engine

from services.profiles.adapters import catalogue_repository as repo
from services.profiles.adapters.catalogue_repository import EntryCited, EntryTaken, Which
from services.profiles.api.catalogue_schemas import (
    SLUG_PATTERN,
    Skill,
    SkillCreate,
    SkillUpdate,
    Theme,
    ThemeCreate,
    ThemeUpdate,
)
from services.profiles.domain.catalogue import Catalogue as Names
from services.profiles.domain.catalogue import Entry
from services.profiles.domain.errors import (
    FieldError,
    InvalidSkill,
    InvalidTheme,
    NearDuplicate,
    ProfilesError,
    SkillAlreadyExists,
    SkillInUse,
    SkillNotFound,
    ThemeAlreadyExists,
    ThemeInUse,
    ThemeNotFound,
)
from services.profiles.domain.rules import slugify
from shared.pagination import Page, PageRequest

P = TypeVar("P", Skill, Theme)


@dataclass(frozen=True)
class Catalogue(Generic[P]):
    """The use cases of one catalogue: its table, public model and errors."""

    which: Which
    public: type[P]
    create_model: type[BaseModel]
    update_model: type[BaseModel]
    not_found: type[ProfilesError]
    exists: type[ProfilesError]
    in_use: type[ProfilesError]
    invalid: type[ProfilesError]

    def list(self, engine: Engine, page: PageRequest) -> Page[P]:
        with engine.connect() as conn:
            rows = repo.entries(conn, self.which, offset=page.offset, limit=page.limit)
            total = repo.count(conn, self.which)
        return Page[self.public].of(  # type: ignore[name-defined]
            [self.public.model_validate(r) for r in rows], total, page
        )

    def get(self, engine: Engine, code: str) -> P:
        with engine.connect() as conn:
            rows = repo.entries(conn, self.which, [code])
        if not rows:
            raise self.not_found(code=code)
        return self.public.model_validate(rows[0])

    def create(self, engine: Engine, data: BaseModel, force: bool = False) -> P:
        values = self.new_values(data.model_dump())
        with engine.begin() as conn:
            self.insert(conn, values, force, datetime.now(UTC))
        return self.get(engine, values["code"])

    def update(self, engine: Engine, code: str, data: BaseModel, force: bool = False) -> P:
        values = data.model_dump(exclude_unset=True, exclude_none=True)
        with engine.begin() as conn:
            self.change(conn, code, values, force, datetime.now(UTC))
        return self.get(engine, code)

    def delete(self, engine: Engine, code: str) -> None:
        entry = self.get(engine, code)
        if entry.members:
            raise self.in_use(code=code, n=entry.members)
        try:
            with engine.begin() as conn:
                repo.delete_entry(conn, self.which, code)
        except EntryCited as exc:  # a member cited it meanwhile
            raise self.in_use(f"{self.which[:-1]}_just_cited", code=code) from exc

    def new_values(self, data: dict[str, Any]) -> dict[str, Any]:
        """The stored values of a new entry: its code derived from the label if absent."""
        code = data.get("code") or slugify(data["label"])[:64]
        if not re.fullmatch(SLUG_PATTERN, code):
            raise self.invalid(
                field_errors=[
                    FieldError("code", "skill_code_underivable", {"label": data["label"]})
                ]
            )
        return {**data, "code": code, "aliases": list(data.get("aliases") or ())}

    def insert(self, conn: Connection, values: dict[str, Any], force: bool, now: datetime) -> None:
        known = repo.catalogue(conn, self.which)
        if values["code"] in known:
            raise self.exists(code=values["code"])
        if not force:
            refuse_near_duplicate(known, values, ignore=None)
        try:
            repo.insert_entry(conn, self.which, values, now)
        except EntryTaken as exc:
            raise self.exists(code=values["code"]) from exc

    def change(
        self, conn: Connection, code: str, values: dict[str, Any], force: bool, now: datetime
    ) -> None:
        if not force and values:
            current = repo.entries(conn, self.which, [code])
            if current:
                known = repo.catalogue(conn, self.which)
                refuse_near_duplicate(known, {**current[0], **values}, ignore=code)
        if not repo.update_entry(conn, self.which, code, values, now):
            raise self.not_found(code=code)


def refuse_near_duplicate(known: Names, values: dict[str, Any], ignore: str | None) -> None:
    """409 when a name of the entry already names another entry, give or take spelling."""
    entry = Entry(
        values["code"], values["label"], values.get("label_en") or "", tuple(values["aliases"])
    )
    clash = known.duplicate_of(entry, ignore=ignore)
    if clash is not None:
        raise NearDuplicate(existing=clash[0], name=clash[1])


skills: Catalogue[Skill] = Catalogue(
    "skills",
    Skill,
    SkillCreate,
    SkillUpdate,
    SkillNotFound,
    SkillAlreadyExists,
    SkillInUse,
    InvalidSkill,
)
themes: Catalogue[Theme] = Catalogue(
    "themes",
    Theme,
    ThemeCreate,
    ThemeUpdate,
    ThemeNotFound,
    ThemeAlreadyExists,
    ThemeInUse,
    InvalidTheme,
)

# The skills use cases under their former names.
list_skills, get_skill = skills.list, skills.get
create_skill, update_skill, delete_skill = skills.create, skills.update, skills.delete
