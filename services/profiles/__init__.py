"""Profiles: member profiles, the skills catalogue, the HR CSV import and GDPR rights."""

from typing import Final

SERVICE: Final = "profiles"
