"""Which errors are storage faults (503, NACK for later) and which are not (500, poison)."""

from __future__ import annotations

import errno
import sqlite3

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError

from shared.storage import is_storage_fault


class PgError(Exception):
    """Stands in for a psycopg error: only its SQLSTATE matters."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def sqlite_error(message: str, code: int) -> sqlite3.OperationalError:
    exc = sqlite3.OperationalError(message)
    exc.sqlite_errorcode = code  # type: ignore[attr-defined]
    return exc


@pytest.mark.parametrize(
    "orig",
    [
        sqlite_error("database or disk is full", 13),
        sqlite_error("attempt to write a readonly database", 8),
        sqlite_error("disk I/O error", 10 | (3 << 8)),  # an extended SQLITE_IOERR code
        PgError("53100"),  # disk_full
        PgError("25006"),  # read_only_sql_transaction
        PgError("58030"),  # io_error
    ],
    ids=str,
)
def test_a_full_or_read_only_database_is_a_storage_fault(orig: Exception) -> None:
    wrapped = OperationalError("INSERT ...", {}, orig)
    assert is_storage_fault(wrapped)
    try:  # as a service sees it: raised while handling, with the cause chained
        raise RuntimeError("could not save") from wrapped
    except RuntimeError as outer:
        assert is_storage_fault(outer)


@pytest.mark.parametrize("number", [errno.ENOSPC, errno.EROFS, errno.EDQUOT])
def test_no_space_or_a_read_only_file_system_is_a_storage_fault(number: int) -> None:
    assert is_storage_fault(OSError(number, "refused"))


@pytest.mark.parametrize(
    "exc",
    [
        IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE constraint failed")),
        OperationalError("SELECT ...", {}, PgError("42P01")),  # undefined table: a bug
        OSError(errno.ECONNREFUSED, "refused"),
        ValueError("bad data"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_other_errors_are_not_storage_faults(exc: Exception) -> None:
    assert not is_storage_fault(exc)
