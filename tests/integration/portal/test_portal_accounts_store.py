"""The portal's identity links and server-side sessions on a real database, migrated by
Alembic to head (SQLite, then PostgreSQL when ENTRAIDE_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.portal.adapters.accounts import IdentityLinks, Sessions
from services.portal.main import MIGRATIONS
from shared.db import make_engine
from shared.migrations import current_revision, head_revision, upgrade

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def test_an_identity_links_once_and_a_member_has_one_identity_per_provider(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert upgrade(engine, MIGRATIONS) == current_revision(engine) == head_revision(MIGRATIONS)
        links = IdentityLinks(engine)
        assert links.link("https://idp", "sub-1", "m-1", NOW)
        assert not links.link("https://idp", "sub-1", "m-2", NOW), "the first link stands"
        assert not links.link("https://idp", "sub-2", "m-1", NOW), "one subject per member"
        assert links.link("https://other-idp", "sub-9", "m-1", NOW), "another provider may"
        assert links.member_of("https://idp", "sub-1") == "m-1"
        assert links.subject_of("https://idp", "m-1") == "sub-1"
        links.forget("https://idp", "sub-1")
        assert links.member_of("https://idp", "sub-1") is None
        assert links.forget_member("m-1") == 1
        assert links.subject_of("https://other-idp", "m-1") is None
    finally:
        engine.dispose()


def test_a_session_is_open_until_ended_and_old_ones_are_purged(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, MIGRATIONS)
        sessions = Sessions(engine)
        sessions.open("h-1", "m-1", NOW)
        sessions.open("h-2", "m-1", NOW - timedelta(days=2))
        sessions.open("h-3", "m-2", NOW)
        assert sessions.opened_at("h-1") == NOW and sessions.opened_at("unknown") is None
        sessions.end("h-1", NOW)
        assert sessions.opened_at("h-1") is None
        assert sessions.end_member("m-1", NOW) == 1  # h-2; h-1 was ended already
        assert sessions.purge(NOW - timedelta(days=1)) == 1
        assert sessions.opened_at("h-3") == NOW
    finally:
        engine.dispose()
