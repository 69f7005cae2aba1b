"""Profiles: member profiles, the skills catalogue, the HR CSV import and GDPR rights."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from shared import subjects
from shared.nats_access import Access

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "profiles"
#: What it may do on the broker: its NATS user's permissions (``shared.nats_access``).
NATS_ACCESS: Final = Access(
    publishes=(subjects.MEMBERS_ALL,),
    streams=(subjects.STREAM_MEMBERS,),
)


def port(settings: Settings) -> int:
    """The port the profiles service listens on (``ENTRAIDE_PROFILES_PORT``)."""
    return settings.profiles_port


def db_url(settings: Settings) -> str:
    """The profiles database (``ENTRAIDE_PROFILES_DB_URL``, else a SQLite file)."""
    return settings.database_url(settings.profiles_db_url, SERVICE)
