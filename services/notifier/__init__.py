"""The notifier service: announces published matches by e-mail, chat and in-app inbox."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from shared import subjects
from shared.nats_access import Access

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "notifier"
#: What it may do on the broker: its NATS user's permissions (``shared.nats_access``).
NATS_ACCESS: Final = Access(
    publishes=(subjects.NOTIFICATIONS_ALL,),
    consumes=(
        (subjects.STREAM_MATCHES, subjects.DURABLE_NOTIFIER_MATCHES),
        (subjects.STREAM_MEMBERS, subjects.DURABLE_NOTIFIER_ERASURES),
        (subjects.STREAM_LIFE, subjects.DURABLE_NOTIFIER_LIFE),
    ),
    streams=(
        subjects.STREAM_NOTIFICATIONS,
        subjects.STREAM_MATCHES,
        subjects.STREAM_MEMBERS,
        subjects.STREAM_LIFE,
    ),
)


def port(settings: Settings) -> int:
    """The port the notifier service listens on (``ENTRAIDE_NOTIFIER_PORT``)."""
    return settings.notifier_port


def db_url(settings: Settings) -> str:
    """The notifier database (``ENTRAIDE_NOTIFIER_DB_URL``, else a SQLite file)."""
    return settings.database_url(settings.notifier_db_url, SERVICE)
