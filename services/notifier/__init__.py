"""The notifier service: announces published matches by e-mail, chat and in-app inbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "notifier"


def port(settings: Settings) -> int:
    """The port the notifier service listens on (``ENTRAIDE_NOTIFIER_PORT``)."""
    return settings.notifier_port


def db_url(settings: Settings) -> str:
    """The notifier database (``ENTRAIDE_NOTIFIER_DB_URL``, else a SQLite file)."""
    return settings.database_url(settings.notifier_db_url, SERVICE)
