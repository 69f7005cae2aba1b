"""HTTP schemas of the skills and themes catalogues and of their CSV import."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_]{0,63}$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
SkillKind = Literal["savoir_faire", "savoir_etre"]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LabelEn = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Aliases = Annotated[
    list[Label], Field(max_length=20, description="Autres noms (synonymes, sigles, anglais).")
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ThemeCreate(Strict):
    code: Slug | None = Field(None, description="Code (dérivé du libellé si absent).")
    label: Label = Field(description="Libellé français.")
    label_en: LabelEn = ""
    aliases: Aliases = Field(default_factory=list)


class SkillCreate(ThemeCreate):
    kind: SkillKind


class ThemeUpdate(Strict):
    label: Label | None = None
    label_en: LabelEn | None = None
    aliases: Aliases | None = None


class SkillUpdate(ThemeUpdate):
    kind: SkillKind | None = None


class Theme(Strict):
    code: str
    label: str
    label_en: str
    aliases: list[str] = Field(default_factory=list)
    members: int = Field(0, description="Membres qui le citent.")


class Skill(Theme):
    kind: SkillKind


class CatalogueRowError(Strict):
    row: int = Field(description="Numéro de ligne du fichier (l'en-tête est la ligne 1).")
    field: str = Field(description="Colonne du fichier.")
    value: str = Field("", description="La valeur donnée.")
    code: str = Field(description="Code stable du message.")
    message: str = Field(description="L'erreur dans la langue de l'appelant.")


class CatalogueImportReport(Strict):
    committed: bool = Field(description="Vrai si le fichier a été enregistré.")
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: list[CatalogueRowError]
