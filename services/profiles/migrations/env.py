"""Alembic environment of the profiles service (``alembic -n profiles ...``)."""

from shared.migrations import run_env

run_env()
