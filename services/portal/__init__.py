"""The portal service: the web pages members and coordinators use, signed in as themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "portal"


def port(settings: Settings) -> int:
    """The port the portal listens on (``ENTRAIDE_PORTAL_PORT``)."""
    return settings.portal_port


def db_url(settings: Settings) -> str:
    """The portal database (``ENTRAIDE_PORTAL_DB_URL``, else a SQLite file)."""
    return settings.database_url(settings.portal_db_url, SERVICE)
