"""The matcher service: its projection of members, rounds and proposals.

:data:`SERVICE` is its one name (broker client, dead-letter subject, event producer,
logs, service token); :func:`port` says which setting gives its HTTP port.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from shared.settings import Settings

SERVICE: Final = "matcher"


def port(settings: Settings) -> int:
    """The port the matcher service listens on (``ENTRAIDE_MATCHER_PORT``)."""
    return settings.matcher_port
