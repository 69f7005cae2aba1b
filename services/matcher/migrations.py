"""Ordered schema migrations of the matcher database (applied at start-up)."""

from __future__ import annotations

from sqlalchemy import Connection

from services.matcher.orm import metadata


def m001_initial(conn: Connection) -> None:
    metadata.create_all(conn)


MIGRATIONS = [m001_initial]
