"""Errors of the profiles service: a message code and its parameters, never a sentence.

The app factory renders them as RFC 9457 problem+json in the caller's language
(:mod:`shared.problems`); the texts live in ``shared/vocabulary/messages/profiles.py``.
"""

from __future__ import annotations

from shared.errors import (
    BadRequest,
    Conflict,
    EntraideError,
    FieldError,
    Forbidden,
    Invalid,
    NotFound,
)

__all__ = [
    "CatalogueImportRefused",
    "FieldError",
    "FieldsOwnedByHr",
    "ImportRefused",
    "InvalidImport",
    "InvalidOrganisation",
    "InvalidProfile",
    "InvalidSkill",
    "InvalidTheme",
    "LookupNeedsOneKey",
    "MemberAlreadyExists",
    "MemberBusy",
    "MemberChanged",
    "MemberNotFound",
    "NearDuplicate",
    "ProfilesError",
    "RegistrationRefused",
    "SkillAlreadyExists",
    "SkillInUse",
    "SkillNotFound",
    "ThemeAlreadyExists",
    "ThemeInUse",
    "ThemeNotFound",
]


class ProfilesError(EntraideError):
    """Base error of the profiles service."""


class MemberNotFound(ProfilesError, NotFound):
    code = "member_not_found"


class MemberAlreadyExists(ProfilesError, Conflict):
    """The id or the e-mail address is already a member's (``email_taken``...)."""

    code = "member_already_exists"


class MemberChanged(ProfilesError, Conflict):
    """The member changed since it was read (optimistic lock): the caller retries."""

    code = "member_changed_concurrently"


class MemberBusy(ProfilesError, Conflict):
    """Retries did not get through: the member changes too often right now."""

    code = "member_busy"


class FieldsOwnedByHr(ProfilesError, Forbidden):
    """A member tried to change fields HR owns: ``field_errors`` names each one."""

    code = "fields_owned_by_hr"

    def __init__(self, field_errors: list[FieldError]) -> None:
        fields = ", ".join(p.field for p in field_errors)
        super().__init__(field_errors=field_errors, fields=fields, n=len(field_errors))


class RegistrationRefused(ProfilesError, Conflict):
    """Self-registration refused; says neither whether the id nor the e-mail is taken."""

    code = "registration_refused"


class LookupNeedsOneKey(ProfilesError, BadRequest):
    """A member lookup names exactly one key: ``external_id`` or ``email``."""

    code = "lookup_needs_one_key"


class InvalidOrganisation(ProfilesError, Invalid):
    """An organisation file with bad rows: nothing stored; the report says why."""

    code = "organisation_import_refused"


class SkillNotFound(ProfilesError, NotFound):
    code = "skill_not_found"


class SkillAlreadyExists(ProfilesError, Conflict):
    code = "skill_already_exists"


class SkillInUse(ProfilesError, Conflict):
    code = "skill_in_use"


class InvalidSkill(ProfilesError, Invalid):
    code = "invalid_skill"


class ThemeNotFound(ProfilesError, NotFound):
    code = "theme_not_found"


class ThemeAlreadyExists(ProfilesError, Conflict):
    code = "theme_already_exists"


class ThemeInUse(ProfilesError, Conflict):
    code = "theme_in_use"


class InvalidTheme(ProfilesError, Invalid):
    code = "invalid_theme"


class NearDuplicate(ProfilesError, Conflict):
    """A new name is another spelling of an existing entry's (``force=true`` to insist)."""

    code = "catalogue_near_duplicate"


class CatalogueImportRefused(ProfilesError, Invalid):
    """A catalogue CSV with bad rows: nothing stored; the report says why."""

    code = "import_refused"


class InvalidProfile(ProfilesError, Invalid):
    """The profile breaks rules (unknown skill, mentor capacity, manager...): ``field_errors``."""

    code = "invalid_profile"

    def __init__(self, field_errors: list[FieldError]) -> None:
        super().__init__(field_errors=field_errors, n=len(field_errors))


class InvalidImport(ProfilesError, Invalid):
    """The CSV file itself cannot be read (encoding, header, size)."""

    code = "invalid_import"


class ImportRefused(ProfilesError, Invalid):
    """An all-or-nothing import with bad rows: nothing stored; the report says why."""

    code = "import_refused"
