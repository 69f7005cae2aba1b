"""The matcher service: its projection of members, rounds and proposals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "matcher"


def port(settings: Settings) -> int:
    """The port the matcher service listens on (``ENTRAIDE_MATCHER_PORT``)."""
    return settings.matcher_port


def db_url(settings: Settings) -> str:
    """The matcher database (``ENTRAIDE_MATCHER_DB_URL``, else a SQLite file)."""
    return settings.database_url(settings.matcher_db_url, SERVICE)
