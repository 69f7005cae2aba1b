"""Sent outbox rows are purged after the retention; unsent ones are never touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData, select, update

from shared.db import make_engine
from shared.events import MatchingProfile, MemberRegistered
from shared.outbox import add_events, outbox_table, purge_sent


def test_only_rows_sent_before_the_retention_are_purged(tmp_path) -> None:
    metadata = MetaData()
    outbox = outbox_table(metadata)
    engine = make_engine(f"sqlite:///{tmp_path / 'o.db'}")
    metadata.create_all(engine)
    events = [
        MemberRegistered(
            producer="t", member_id=f"m{i}", version=1, profile=MatchingProfile(site="Lyon")
        )
        for i in range(3)
    ]
    with engine.begin() as conn:
        add_events(conn, outbox, events)
        long_ago, recently = datetime.now(UTC) - timedelta(days=40), datetime.now(UTC)
        conn.execute(update(outbox).where(outbox.c.member_id == "m0").values(sent_at=long_ago))
        conn.execute(update(outbox).where(outbox.c.member_id == "m1").values(sent_at=recently))
    assert purge_sent(engine, outbox, timedelta(days=30)) == 1
    with engine.connect() as conn:
        left = sorted(conn.execute(select(outbox.c.member_id)).scalars())
    assert left == ["m1", "m2"]  # recent sent row kept, unsent row never purged
