"""Profiles: member profiles, the skills catalogue, the HR CSV import and GDPR rights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "profiles"


def port(settings: Settings) -> int:
    """The port the profiles service listens on (``ENTRAIDE_PROFILES_PORT``)."""
    return settings.profiles_port


def db_url(settings: Settings) -> str:
    """The profiles database (``ENTRAIDE_PROFILES_DB_URL``, else a SQLite file)."""
    return settings.database_url(settings.profiles_db_url, SERVICE)
