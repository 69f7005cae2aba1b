"""Pure rules of the notifier: recipients and roles, channel decisions, meetings."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from services.notifier.domain.meeting import _fold, first_meeting_slot, invitation
from services.notifier.domain.model import Contact, Meeting
from services.notifier.domain.policy import decide, retry_delay
from services.notifier.domain.recipients import UnknownMatchKind, people_named, recipients

TODAY = date(2025, 3, 3)
LEA = Contact("m1", "Léa", "lea@example.com", channels=("email", "chat", "inapp"),
              chat_webhook_url="https://hooks.example.com/x")  # fmt: skip


def test_a_pair_tells_the_mentor_and_the_mentee_in_their_roles() -> None:
    payload = {"type": "match.mentoring_pair", "mentor_id": "a", "mentee_id": "b"}
    assert recipients(payload) == [("a", "mentor"), ("b", "mentee")]
    assert people_named(payload, "a") == ["b"]


def test_a_facilitator_outside_the_member_list_is_told_once_as_facilitator() -> None:
    inside = {"type": "match.group", "members": ["a", "b"], "facilitator_id": "b"}
    outside = {"type": "match.group", "members": ["a", "b"], "facilitator_id": "c"}
    assert recipients(inside) == [("a", "group_member"), ("b", "facilitator")]
    assert recipients(outside)[-1] == ("c", "facilitator") and len(recipients(outside)) == 3


def test_a_seminar_plan_names_each_tablemate_once() -> None:
    payload = {"type": "match.rotation", "member_id": "a", "seats": [
        {"seminar_round": 0, "table": 1, "tablemates": ["b", "c"]},
        {"seminar_round": 1, "table": 0, "tablemates": ["c", "d", "a"]},
    ]}  # fmt: skip
    assert recipients(payload) == [("a", "seminar_attendee")]
    assert people_named(payload, "a") == ["b", "c", "d"]


def test_an_unknown_event_type_is_refused_with_its_name() -> None:
    with pytest.raises(UnknownMatchKind, match=r"match\.other"):
        recipients({"type": "match.other"})


@pytest.mark.parametrize(
    ("contact", "channel", "told", "expected"),
    [
        (LEA, "email", False, ""),
        (LEA, "email", True, "cap_reached"),
        (Contact("m1", "Léa", "lea@example.com"), "chat", False, "channel_not_chosen"),
        (Contact("m1", "Léa", "", channels=("email",)), "email", False, "no_email_address"),
        (Contact("m1", "Léa", "l@x.fr", channels=("chat",)), "chat", False, "no_chat_address"),
        (Contact("m1", "Léa", "l@x.fr", paused_until=date(2025, 4, 1)), "email", False,
         "member_paused"),
        (Contact("m1", "Léa", "l@x.fr", paused_until=date(2025, 3, 3)), "email", False, ""),
        (Contact("m1", "L", "l@x.fr", channels=(), paused_until=date(2026, 1, 1)), "inapp", 0, ""),
    ],
)  # fmt: skip
def test_channel_decisions_honour_choices_pause_and_the_cap(
    contact, channel, told, expected
) -> None:
    decision = decide(contact, channel, TODAY, told)
    assert decision.send is (expected == "")
    assert decision.reason == expected  # a message code, never a sentence


def test_a_skip_reason_carries_its_parameters_not_a_sentence() -> None:
    paused = Contact("m1", "Léa", "l@x.fr", paused_until=date(2025, 4, 1))
    assert decide(paused, "email", TODAY, False).params == {"until": "2025-04-01"}
    assert decide(Contact("m1", "L", "l@x.fr"), "chat", TODAY, False).params == {"channel": "chat"}


def test_retries_back_off_exponentially_up_to_a_cap() -> None:
    assert [retry_delay(n, 1.0) for n in (1, 2, 3, 4)] == [1.0, 2.0, 4.0, 8.0]
    assert retry_delay(30, 1.0) == 60.0  # a dead relay is tried every minute, not less
    assert retry_delay(30, 1.0, cap_s=5.0) == 5.0


def test_the_first_meeting_is_a_tuesday_a_week_later_in_paris_time() -> None:
    summer = datetime(2025, 6, 30, 8, tzinfo=UTC)  # a Monday, CEST (UTC+2)
    start, end = first_meeting_slot(summer, "match.group") or (None, None)
    assert start == datetime(2025, 7, 8, 7, 0, tzinfo=UTC)
    assert end == datetime(2025, 7, 8, 10, 30, tzinfo=UTC)
    assert first_meeting_slot(summer, "match.rotation") is None


def test_the_invitation_is_valid_icalendar_with_folded_lines_and_escaped_text() -> None:
    meeting = Meeting(
        start=datetime(2025, 3, 11, 9, tzinfo=UTC), end=datetime(2025, 3, 11, 9, 45, tzinfo=UTC),
        summary="Entraide ; premier échange, enfin", description="é" * 100 + "\nfin",
        attendees=(("Léa", "lea@example.com"), ("Sans adresse", "")),
    )  # fmt: skip
    ics = invitation("m1-a@entraide", meeting, datetime(2025, 3, 3, tzinfo=UTC))
    lines = ics.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and ics.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20250311T090000Z" in lines and "UID:m1-a@entraide" in lines
    assert "SUMMARY:Entraide \\; premier échange\\, enfin" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    assert sum(line.startswith("ATTENDEE") for line in lines) == 1
    unfolded = ics.replace("\r\n ", "")
    assert "DESCRIPTION:" + "é" * 100 + "\\nfin" in unfolded


def test_folding_never_splits_a_multibyte_character() -> None:
    for text in ("a" * 200, "é" * 90, "x" + "€" * 60):
        folded = _fold(text)
        assert folded.replace("\r\n ", "") == text
        assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_the_domain_imports_no_framework() -> None:
    banned = {"fastapi", "faststream", "sqlalchemy", "jinja2", "apprise", "httpx", "shared"}
    for path in Path("services/notifier/domain").glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            names = [n for n in names if n != "shared.errors"]  # plain Python, for domain errors
            assert not {n.split(".")[0] for n in names} & banned, (path, names)
