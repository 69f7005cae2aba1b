"""The matcher service: its projection of members, rounds and proposals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from shared import subjects
from shared.nats_access import Access

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "matcher"
#: What it may do on the broker: its NATS user's permissions (``shared.nats_access``).
NATS_ACCESS: Final = Access(
    publishes=(subjects.ROUNDS_ALL, subjects.MATCHES_ALL, subjects.LIFE_ALL),
    consumes=(
        (subjects.STREAM_MEMBERS, subjects.DURABLE_MATCHER_MEMBERS),
        (subjects.STREAM_ROUNDS, subjects.DURABLE_MATCHER_ROUND_REQUESTS),
        (subjects.STREAM_MATCHES, subjects.DURABLE_MATCHER_HEALTH_MATCHES),
        (subjects.STREAM_LIFE, subjects.DURABLE_MATCHER_HEALTH_LIFE),
        (subjects.STREAM_LIFE, subjects.DURABLE_MATCHER_DEPARTURES_DECLINED),
        (subjects.STREAM_LIFE, subjects.DURABLE_MATCHER_DEPARTURES_UNANSWERED),
    ),
    streams=(
        subjects.STREAM_ROUNDS,
        subjects.STREAM_MATCHES,
        subjects.STREAM_LIFE,
        subjects.STREAM_MEMBERS,
    ),
)


def port(settings: Settings) -> int:
    """The port the matcher service listens on (``ENTRAIDE_MATCHER_PORT``)."""
    return settings.matcher_port


def db_url(settings: Settings) -> str:
    """The matcher database (``ENTRAIDE_MATCHER_DB_URL``, else a SQLite file)."""
    return settings.database_url(settings.matcher_db_url, SERVICE)
