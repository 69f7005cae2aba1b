"""Ordered schema migrations of the profiles database (applied at start-up)."""

from __future__ import annotations

from sqlalchemy import Connection

from services.profiles.adapters.orm import metadata


def m001_initial(conn: Connection) -> None:
    metadata.create_all(conn, tables=[metadata.tables["members"], metadata.tables["outbox"]])


MIGRATIONS = [m001_initial]
