"""The profiles service: the system of record for member profiles.

:data:`SERVICE` is its one name (broker client, dead-letter subject, event producer,
logs, service token); :func:`port` says which setting gives its HTTP port.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "profiles"


def port(settings: Settings) -> int:
    """The port the profiles service listens on (``ENTRAIDE_PROFILES_PORT``)."""
    return settings.profiles_port
