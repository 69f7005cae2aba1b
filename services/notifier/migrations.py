"""Ordered schema migrations of the notifier database (applied at start-up)."""

from __future__ import annotations

from sqlalchemy import Connection

from services.notifier.orm import metadata


def m001_initial(conn: Connection) -> None:
    metadata.create_all(conn)


MIGRATIONS = [m001_initial]
