"""The two writes of a send (leaving, then the commit point) change every row of the
message once, under its lease only: for a message of one row (its own statement,
``id = :id``) and of several (a mentor told of two mentees at once, ``id IN``), on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.notifier.adapters import repository, sending
from services.notifier.main import MIGRATIONS
from services.notifier.service_layer.matches import accept_matches
from shared.db import make_engine
from shared.events import Explanation, MentoringPairMatched
from shared.migrations import upgrade


def pair(match: str, mentor: str, mentee: str) -> MentoringPairMatched:
    return MentoringPairMatched(
        producer="matcher", match_id=match, round_id="writes-round",
        mentor_id=mentor, mentee_id=mentee, explanation=Explanation(reasons=("cross_site",)),
    )  # fmt: skip


def test_a_send_marks_each_row_of_its_message_once_under_its_lease(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    accept_matches(engine, [pair("w-1", "mentor", "a"), pair("w-2", "mentor", "b")])
    now = datetime.now(UTC) + timedelta(seconds=1)
    groups = repository.claim(engine, now, 100, timedelta(seconds=60), "lease-1")
    emails = {g.member_id: g for g in groups if g.channel == "email"}
    assert len(emails["mentor"].rows) == 2 and len(emails["a"].rows) == 1
    content = {"subject": "s", "body": "b", "language": "fr"}
    for member in ("mentor", "a"):
        ids = [r.id for r in emails[member].rows]
        assert not sending.start_sending(engine, ids, "another-lease", now)
        assert sending.start_sending(engine, ids, "lease-1", now)
        assert not sending.start_sending(engine, ids, "lease-1", now)  # already leaving
        assert not sending.mark_sent(engine, ids, "another-lease", now, content, None)
        assert sending.mark_sent(engine, ids, "lease-1", now, content, None)
        assert not sending.mark_sent(engine, ids, "lease-1", now, content, None)  # once
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT member_id, status, attempts FROM deliveries WHERE channel = 'email'"
        ).all()
    states = {(m, s, a) for m, s, a in rows}
    assert states == {("mentor", "sent", 1), ("a", "sent", 1), ("b", "claimed", 0)}
    engine.dispose()
