"""The matcher service: member projection, rounds, proposals and published matches."""

from typing import Final

SERVICE: Final = "matcher"
