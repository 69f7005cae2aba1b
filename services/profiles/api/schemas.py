"""HTTP schemas of the profiles service (pydantic v2, unknown fields rejected).

Identity and bookkeeping fields (``id``, ``version``, roles, dates) exist only in the
responses: a request body that carries them is refused with 422 (no mass assignment).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from services.profiles.api.catalogue_schemas import Skill, Strict
from shared.events import Availability, MatchingProfile, OptIns

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MEMBER_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
#: HR's own keys (employee numbers, team codes...): no spaces, at most 60 characters.
HR_KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.@+/-]{0,59}$"
#: A node of the organisation: a member id or ``mgr:<HR key>``.
NODE_PATTERN = r"^(mgr:[A-Za-z0-9][A-Za-z0-9_.@+/-]{0,59}|[A-Za-z0-9_-]{1,64})$"

Text120 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, max_length=320, pattern=EMAIL_PATTERN),
]
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
SkillKey = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Level = Annotated[int, Field(ge=0, le=4)]
MemberId = Annotated[str, StringConstraints(pattern=MEMBER_ID_PATTERN)]
HrKey = Annotated[str, StringConstraints(strip_whitespace=True, pattern=HR_KEY_PATTERN)]
NodeKey = Annotated[str, StringConstraints(pattern=NODE_PATTERN)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=320)]
WebhookUrl = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https://[^\s/?#]+\S*$")]
ChannelName = Literal["email", "chat", "inapp"]
DEFAULT_CHANNELS: tuple[ChannelName, ...] = ("email", "inapp")

MATCHING_FIELDS = frozenset(MatchingProfile.model_fields)


class MemberCreate(Strict):
    """A member profile: contact data, preferences and the matching attributes."""

    display_name: Name = Field(description="Nom affiché.")
    email: Email = Field(description="Adresse électronique professionnelle (unique).")
    preferred_language: Literal["fr", "en"] = Field("fr", description="Langue des messages.")
    notification_channels: list[ChannelName] = Field(
        default_factory=lambda: list(DEFAULT_CHANNELS),
        max_length=3,
        description="Canaux de notification choisis.",
    )
    chat_webhook_url: WebhookUrl | None = Field(
        None, description="Webhook https (Slack, Teams...) pour le canal « chat »."
    )
    site: Name = Field(description="Site (ex. « Lyon Part-Dieu »).")
    department: Text120 = ""
    function: Text120 = Field("", description="Fonction (ex. « assistante de direction »).")
    external_id: HrKey | None = Field(None, description="Identifiant RH (unique).")
    manager_id: NodeKey | None = Field(
        None, description="Manager : id de membre, ou « mgr:<clé RH> » hors réseau."
    )
    manager: Reference | None = Field(
        None,
        description=(
            "Manager désigné par id de membre, identifiant RH ou adresse (membre ou "
            "manager hors réseau) ; enregistré dans manager_id."
        ),
    )
    team: HrKey | None = Field(None, description="Code d'équipe RH.")
    start_date: date | None = Field(None, description="Date d'arrivée dans l'entreprise.")
    languages: list[Lang] = Field(
        default_factory=lambda: ["fr"],
        min_length=1,
        max_length=20,
        description="Langues parlées (ISO 639-1).",
    )
    skills: dict[SkillKey, Level] = Field(
        default_factory=dict,
        max_length=60,
        description="Compétence (code, libellé ou alias du catalogue) -> niveau 0 à 4.",
    )
    skills_wanted: list[SkillKey] = Field(
        default_factory=list, max_length=60, description="Compétences recherchées (codes)."
    )
    themes: list[SkillKey] = Field(
        default_factory=list,
        max_length=30,
        description="Thèmes d'intérêt (code, libellé ou alias du catalogue des thèmes).",
    )
    availability: Availability = Field(default_factory=lambda: Availability.model_validate({}))
    opt_ins: OptIns = Field(default_factory=lambda: OptIns.model_validate({}))
    paused_until: date | None = Field(None, description="Pas de mise en relation avant.")

    @model_validator(mode="after")
    def _chat_needs_a_webhook(self) -> MemberCreate:
        self.notification_channels = list(dict.fromkeys(self.notification_channels))
        if "chat" in self.notification_channels and not self.chat_webhook_url:
            raise PydanticCustomError(
                "chat_needs_webhook", "the chat channel needs a chat_webhook_url address"
            )
        return self

    def matching_profile(self) -> MatchingProfile:
        return MatchingProfile.model_validate(self.model_dump(include=set(MATCHING_FIELDS)))


class AvailabilityPatch(Strict):
    frequency: Literal["weekly", "fortnightly", "monthly", "quarterly"] | None = None
    mode: Literal["remote", "on_site", "either"] | None = None


class OptInsPatch(Strict):
    mentor: bool | None = None
    mentor_capacity: int | None = Field(None, ge=0, le=5)
    mentee: bool | None = None
    groups: bool | None = None
    seminars: bool | None = None
    facilitator: bool | None = None


NULLABLE = frozenset(
    {
        "chat_webhook_url",
        "manager_id",
        "manager",
        "external_id",
        "team",
        "start_date",
        "paused_until",
    }
)


class MemberUpdate(Strict):
    """Partial update: only the fields sent change; ``null`` clears an optional field."""

    display_name: Name | None = None
    email: Email | None = None
    preferred_language: Literal["fr", "en"] | None = None
    notification_channels: list[ChannelName] | None = Field(None, max_length=3)
    chat_webhook_url: WebhookUrl | None = None
    site: Name | None = None
    department: Text120 | None = None
    function: Text120 | None = None
    external_id: HrKey | None = None
    manager_id: NodeKey | None = None
    manager: Reference | None = None
    team: HrKey | None = None
    start_date: date | None = None
    languages: list[Lang] | None = Field(None, min_length=1, max_length=20)
    skills: dict[SkillKey, Level] | None = Field(None, max_length=60)
    skills_wanted: list[SkillKey] | None = Field(None, max_length=60)
    themes: list[SkillKey] | None = Field(None, max_length=30)
    availability: AvailabilityPatch | None = None
    opt_ins: OptInsPatch | None = None
    paused_until: date | None = None

    @model_validator(mode="after")
    def _null_only_where_optional(self) -> MemberUpdate:
        bad = sorted(f for f in self.model_fields_set - NULLABLE if getattr(self, f) is None)
        if bad:
            raise PydanticCustomError(
                "not_nullable", "these fields cannot be null: {fields}", {"fields": ", ".join(bad)}
            )
        return self

    def changes(self) -> dict[str, Any]:
        """The fields sent, nested objects reduced to their sent keys."""
        return self.model_dump(mode="json", exclude_unset=True)


class MemberName(Strict):
    """A member as a name on a list (seating plans, proposals): nothing else."""

    id: str
    display_name: str
    site: str | None = None


class MemberContact(Strict):
    """A member as a message needs them (the notifier's lookups): nothing else."""

    id: str
    display_name: str
    email: str
    preferred_language: Literal["fr", "en"] = "fr"
    notification_channels: list[ChannelName] = Field(default_factory=lambda: [*DEFAULT_CHANNELS])
    chat_webhook_url: str | None = None
    paused_until: date | None = None


class MemberPublic(MemberCreate):
    """A stored member as the API shows it."""

    manager: SkipJsonSchema[str | None] = Field(None, exclude=True)
    management_line: list[str] = Field(
        default_factory=list,
        description="Managers au-dessus du membre, le direct d'abord (organigramme RH).",
    )
    left_on: date | None = Field(
        None, description="Parti·e de l'entreprise ce jour (désactivé·e par les RH)."
    )
    id: str
    version: int = Field(description="Version des attributs de mise en relation.")
    created_at: datetime
    updated_at: datetime


class MemberDeactivation(Strict):
    """HR marks a member as having left the company."""

    left_on: date | None = Field(
        None, description="Jour du départ (par défaut : aujourd'hui)."
    )


class RowError(Strict):
    row: int = Field(description="Numéro de ligne du fichier (l'en-tête est la ligne 1).")
    field: str = Field(description="Colonne du fichier.")
    value: str = Field("", description="La valeur donnée dans la cellule.")
    code: str = Field(description="Code stable du message (``csv.invalid_date``...).")
    message: str = Field(description="L'erreur dans la langue de l'appelant.")
    expected: str = Field("", description="Ce que la colonne attend (format).")
    closest: list[str] = Field(
        default_factory=list, description="Entrées du catalogue les plus proches."
    )


class ColumnDoc(Strict):
    """One column of the member CSV file."""

    name: str
    required: bool = Field(description="Obligatoire pour une nouvelle ligne.")
    owner: Literal["hr", "member"] = Field(description="Qui possède le champ : RH ou membre.")
    format: str
    example: str
    description: str = Field(description="Dans la langue de l'appelant.")


class ImportReport(Strict):
    mode: Literal["all_or_nothing", "keep_valid"]
    committed: bool = Field(description="Vrai si des lignes ont été enregistrées.")
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowError]


class OutsideManager(Strict):
    """A manager who is not a member (organisation reference data)."""

    key: str = Field(description="Identifiant RH du manager.")
    name: str
    email: str | None
    manager: str | None = Field(description="Son propre manager (id de membre ou mgr:<clé>).")
    team: str | None


class Team(Strict):
    code: str
    name: str


class OrganisationReport(Strict):
    rows: int
    managers_created: int
    managers_updated: int
    teams: int
    members_republished: int = Field(description="Membres dont la ligne hiérarchique a changé.")
    errors: list[RowError]


class HeldEvent(Strict):
    event_id: str
    subject: str
    created_at: datetime
    sent_at: datetime | None
    payload: dict[str, Any]


class PersonalDataExport(Strict):
    """Everything the profiles service holds about one member (RGPD, article 15)."""

    exported_at: datetime
    member: MemberPublic
    skills: list[Skill] = Field(description="Entrées du catalogue citées par le profil.")
    events: list[HeldEvent] = Field(description="Événements du membre encore conservés.")
