"""Erasure on match payloads: ids of erased members removed, events after it kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.notifier.domain.erasure import ERASED, erased_after, names_any, without_members

ROTATION = {
    "type": "match.rotation",
    "member_id": "a",
    "seats": [{"seminar_round": 0, "table": 1, "tablemates": ["b", "c"]}],
}


def test_an_erased_tablemate_loses_their_id_in_every_seat_and_nobody_else_does() -> None:
    redacted = without_members(ROTATION, {"b"})
    assert redacted["seats"][0]["tablemates"] == [ERASED, "c"]
    assert redacted["member_id"] == "a" and ROTATION["seats"][0]["tablemates"] == ["b", "c"]
    assert names_any(ROTATION, {"b"}) and not names_any(redacted, {"b"})


def test_a_group_loses_its_erased_facilitator_and_member_ids() -> None:
    group = {"type": "match.group", "members": ["a", "b"], "facilitator_id": "b"}
    assert without_members(group, {"b"}) == {
        "type": "match.group", "members": ["a", ERASED], "facilitator_id": ERASED,
    }  # fmt: skip


def test_only_members_erased_after_the_event_are_removed_from_it() -> None:
    event = datetime(2025, 3, 3, 12, tzinfo=UTC)
    erasures = {"before": event - timedelta(days=1), "after": event + timedelta(seconds=1)}
    assert erased_after(erasures, event) == {"after"}  # "before" registered again since
