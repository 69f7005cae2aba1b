"""The member's home: a card per engagement with its stage and pending action, and the
profile's completeness (pure rules of ``services.portal.domain.home``)."""

from __future__ import annotations

import doctest

import services.portal.domain.home as home_module
from services.portal.domain.home import completeness, engagements

ME = "m-me"
PAIR = {"id": "p1", "kind": "mentoring", "explanation": "compétence en commun",
        "data": {"mentor_id": "m-other", "mentee_id": ME}}  # fmt: skip
PAIR2 = {"id": "p2", "kind": "mentoring", "explanation": "", "data": {"mentor_id": ME}}
GROUP = {"id": "g1", "kind": "groups", "data": {"facilitator_id": ME}}
SEMINAR = {"id": "s1", "kind": "rotations",
           "data": {"seats": [{"seminar_round": 0, "table": 4},
                              {"seminar_round": 1, "table": 0}]}}  # fmt: skip


def test_the_examples_of_the_home_module_run() -> None:
    result = doctest.testmod(home_module)
    assert result.attempted > 0 and result.failed == 0


def test_every_match_is_a_card_announced_until_its_message_is_read() -> None:
    profile = {"id": ME, "opt_ins": {"mentee": True, "mentor": True, "groups": True}}
    cards = engagements(profile, [SEMINAR, GROUP, PAIR, PAIR2], unread={"p1", "g1"})
    assert [(c.kind, c.match_id, c.stage, c.action, c.role) for c in cards] == [
        ("mentoring", "p1", "announced", "read", "mentee"),
        ("mentoring", "p2", "under_way", "under_way_mentor", "mentor"),
        ("groups", "g1", "announced", "read", "facilitator"),
        ("rotations", "s1", "under_way", "under_way_attendee", "attendee"),
    ]
    assert cards[0].href == "/messages" and cards[1].href == "/mises-en-relation#m-p2"
    assert cards[0].explanation == "compétence en commun"
    assert cards[3].seats == ((1, 5), (2, 1))


def test_a_format_without_a_match_says_whether_the_member_is_enrolled() -> None:
    cards = engagements({"id": ME, "opt_ins": {"facilitator": True}}, [], unread=set())
    assert [(c.kind, c.stage, c.action, c.href) for c in cards] == [
        ("mentoring", "not_enrolled", "enrol", "/profil#mentee"),
        ("groups", "waiting", None, None),
        ("rotations", "not_enrolled", "enrol", "/profil#seminars"),
    ]


def test_completeness_counts_five_parts_the_member_fills_in() -> None:
    empty = completeness({"skills": {"a": 0, "b": 2}, "opt_ins": {"mentor_capacity": 2}})
    assert empty.percent == 0
    assert empty.missing == ("skills", "wanted", "themes", "formats", "channels")
    full = completeness({"skills": {"a": 1, "b": 2, "c": 4}, "skills_wanted": ["d"],
                         "themes": ["t"], "opt_ins": {"seminars": True},
                         "notification_channels": ["email"]})  # fmt: skip
    assert full.percent == 100 and full.missing == ()
