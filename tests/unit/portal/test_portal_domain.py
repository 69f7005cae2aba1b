"""The portal's pure rules: links, sessions, rate limits and the profile form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.portal.domain import links
from services.portal.domain.profile_form import Catalogue, changes_from_form
from services.portal.domain.rate_limit import PER_EMAIL
from services.portal.domain.session import SessionUser, roles_for

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
CATALOGUE = Catalogue({"excel": ("Excel avancé", "Advanced Excel"), "budget": ("Budget", "Budget")})


def test_a_link_stores_only_the_hash_of_its_token_and_works_for_fifteen_minutes() -> None:
    token, link = links.issue("a@example.org", "m1", NOW)
    assert token not in link.token_hash and link.token_hash == links.token_hash(token)
    assert link.state(NOW + timedelta(minutes=14, seconds=59)) == "valid"
    assert link.state(NOW + timedelta(minutes=15)) == "expired"


def test_two_links_never_share_a_token() -> None:
    assert len({links.issue("a@example.org", "m1", NOW)[0] for _ in range(100)}) == 100


def test_the_sixth_request_in_fifteen_minutes_exceeds_the_limit_per_email() -> None:
    assert [PER_EMAIL.exceeded(n) for n in range(1, 7)] == [False] * 5 + [True]


def test_a_coordinator_is_named_by_hr_through_their_email() -> None:
    assert roles_for("RH@example.org ", frozenset({"rh@example.org"}), True) == (
        "member", "coordinator",
    )  # fmt: skip
    assert roles_for("rh@example.org", frozenset({"rh@example.org"}), False) == ("coordinator",)


def test_a_malformed_session_is_nobody() -> None:
    assert SessionUser.from_dict({"member_id": "m1"}) is None
    assert SessionUser.from_dict("x") is None
    user = SessionUser("m1", "a@example.org", ("member",), "A")
    assert SessionUser.from_dict(user.to_dict()) == user


def test_the_form_reads_skills_by_label_and_ticked_boxes() -> None:
    form = {"skill_0": "excel avancé", "level_0": "3", "skill_1": "", "level_1": "2",
            "wanted_0": "Budget", "languages": "fr, EN", "themes": "budget",
            "frequency": "weekly", "mode": "remote", "mentor_capacity": "2",
            "paused_until": "", "preferred_language": "en"}  # fmt: skip
    changes, errors = changes_from_form(form, {"mentor", "channel_email"}, CATALOGUE)
    assert errors == []
    assert changes["skills"] == {"excel": 3} and changes["skills_wanted"] == ["budget"]
    assert changes["languages"] == ["fr", "en"] and changes["paused_until"] is None
    assert changes["opt_ins"] == {"mentor": True, "mentee": False, "groups": False,
                                  "seminars": False, "facilitator": False,
                                  "mentor_capacity": 2}  # fmt: skip
    assert changes["notification_channels"] == ["email"]


def test_an_unknown_skill_or_level_is_an_error_on_its_own_row() -> None:
    form = {"skill_0": "Astrophysique", "level_0": "2", "skill_1": "Budget", "level_1": "9"}
    _, errors = changes_from_form(form, set(), CATALOGUE)
    assert [(e.field, e.code) for e in errors] == [
        ("skill_0", "portal.skill_unknown"), ("level_1", "portal.level_invalid"),
    ]  # fmt: skip
