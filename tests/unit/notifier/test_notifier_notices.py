"""Which life events tell whom, under which key (pure rules of the notifier)."""

from __future__ import annotations

import doctest

from services.notifier.domain import notices, recipients
from services.notifier.domain.deliveries import message_key


def test_the_examples_of_the_notice_rules_run() -> None:
    result = doctest.testmod(notices)
    assert result.attempted > 0 and result.failed == 0


def test_a_reminder_is_for_its_member_alone_and_names_nobody_else() -> None:
    payload = {"type": "match.response_reminded", "match_id": "x", "member_id": "m1",
               "reminder": 1, "round_id": "r"}  # fmt: skip
    assert recipients.recipients(payload) == [("m1", "notice")]
    assert recipients.people_named(payload, "m1") == []


def test_each_notice_has_its_own_key_distinct_from_the_announcement() -> None:
    first = {"type": "match.response_reminded", "match_id": "x", "reminder": 1}
    second = {**first, "reminder": 2}
    checkin = {"type": "match.checkin_requested", "match_id": "x", "reminder": 1}
    keys = {notices.delivery_key(p) for p in (first, second, checkin)}
    assert len(keys) == 3 and "x" not in keys
    assert message_key("r~response_reminded.1", "m1", "email") != message_key("r", "m1", "email")


def test_answers_tell_nobody() -> None:
    for kind in ("match.accepted", "match.declined", "match.checkin_answered", "match.closed"):
        assert notices.notice_of({"type": kind, "match_id": "x"}) is None
