"""The documentation of the member CSV columns, served to HR (plain data).

Each column: whether a new row needs it, who owns the field (HR: identity and
organisation; the member: the rest), its format, an example, and a description (a
message code, ``csv.column.<name>``, rendered in the caller's language). The template
HR downloads is the header of the columns the import accepts and one example row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Owner = Literal["hr", "member"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    required: bool
    owner: Owner
    format: str
    example: str

    @property
    def description_code(self) -> str:
        return f"csv.column.{self.name}"


YES_NO = "oui/non (vrai/faux, true/false, yes/no, 1/0, x)"
DATE = "AAAA-MM-JJ ou JJ/MM/AAAA"
COLUMNS_DOC: tuple[Column, ...] = (
    Column("email", True, "hr", "adresse électronique", "lea.martin@example.com"),
    Column("external_id", False, "hr", "texte (unique)", "RH-004217"),
    Column("id", False, "hr", "identifiant Entraide (export)", ""),
    Column("display_name", True, "hr", "texte", "Léa Martin"),
    Column("site", True, "hr", "texte", "Lyon Part-Dieu"),
    Column("department", False, "hr", "texte", "Direction financière"),
    Column("function", False, "hr", "texte", "assistante de direction"),
    Column("manager_email", False, "hr", "adresse d'un membre", ""),
    Column("manager", False, "hr", "identifiant RH ou adresse du manager", "RH-000012"),
    Column("manager_name", False, "hr", "texte", "Claire Dupont"),
    Column("team", False, "hr", "code d'équipe RH (sans espace)", "CDG-LYON"),
    Column("start_date", False, "hr", DATE, "2019-09-02"),
    Column("preferred_language", False, "member", "fr | en (vide : fr)", "fr"),
    Column("languages", False, "member", "codes ISO séparés par | (vide : fr)", "fr|en"),
    Column(
        "skills", False, "member", "compétence:niveau (0 à 4) séparés par |", "Gestion du stress:2"
    ),
    Column("skills_wanted", False, "member", "compétences séparées par |", "gestion_projet"),
    Column("themes", False, "member", "thèmes séparés par |", "Outils numériques|budget"),
    Column(
        "availability_frequency", False, "member", "weekly | fortnightly | monthly | quarterly", ""
    ),
    Column("availability_mode", False, "member", "remote | on_site | either", "remote"),
    Column("mentor", False, "member", YES_NO, "oui"),
    Column("mentor_capacity", False, "member", "nombre de 1 à 5 (si mentor)", "2"),
    Column("mentee", False, "member", YES_NO, "non"),
    Column("groups", False, "member", YES_NO, "oui"),
    Column("seminars", False, "member", YES_NO, ""),
    Column("facilitator", False, "member", YES_NO, ""),
    Column("paused_until", False, "member", DATE, ""),
    Column("left_on", False, "hr", DATE, ""),
    Column("notification_channels", False, "member", "email|chat|inapp (vide : email|inapp)", ""),
    Column("chat_webhook_url", False, "member", "https://…", ""),
)
BY_NAME = {c.name: c for c in COLUMNS_DOC}
