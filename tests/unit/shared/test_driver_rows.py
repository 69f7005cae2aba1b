"""shared.db.DriverRows: bulk statements over plain tuples, as SQLAlchemy would bind them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column, MetaData, String, Table, select

from shared.db import IN_CHUNK, DriverRows, EncodedJson, UtcDateTime, make_engine

TABLE = Table(
    "t",
    MetaData(),
    Column("k", String, primary_key=True),
    Column("doc", JSON),
    Column("at", UtcDateTime()),
)


def test_rows_written_through_the_driver_read_back_as_sqlalchemy_wrote_them(
    db_url: str,
) -> None:
    """SQLite (``?``) and PostgreSQL (``%s``, psycopg's JSON and timestamptz)."""
    engine = make_engine(db_url)
    TABLE.metadata.create_all(engine)
    now = datetime(2026, 11, 28, 4, 0, 1, 123456, tzinfo=UTC)
    keys = [f"k{i}" for i in range(IN_CHUNK * 2 + 3)]  # three IN statements
    with engine.begin() as conn:
        rows = DriverRows(conn, TABLE)
        at, doc = rows.bind("at", now), rows.binder("doc")
        rows.insert(["k", "doc", "at"], [(k, doc(EncodedJson('{"a":1}')), at) for k in keys])
        rows.update(["doc"], "k", [(doc({"b": 2}), "k0")])
        assert len(rows.where_in(["k"], "k", [*keys, "absent"])) == len(keys)
        assert rows.where_in(["k"], "k", []) == []
        rows.insert(["k"], [])  # nothing to write: no statement
    with engine.connect() as conn:
        got = {r.k: (r.doc, r.at) for r in conn.execute(select(TABLE))}
    assert got["k0"] == ({"b": 2}, now)
    assert got["k1"] == ({"a": 1}, now)
    engine.dispose()
