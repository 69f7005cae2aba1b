"""What a repair makes the notifier say: a new match says it replaces the previous one,
an ended match with nothing new is a cancellation, and each repair is its own message."""

from __future__ import annotations

from datetime import UTC, datetime

from services.notifier.adapters.rendering import Section, render
from services.notifier.adapters.repository import _announcement
from services.notifier.domain.model import Contact
from services.notifier.domain.recipients import people_named, recipients
from services.notifier.service_layer.matches import is_told
from shared.events import Explanation, MatchSuperseded, MentoringPairMatched, match_event_adapter

NOW = datetime(2025, 3, 3, 12, tzinfo=UTC)
PEOPLE = {
    "a": Contact("a", "Léa Martin", "lea@example.com"),
    "b": Contact("b", "Sam Lee", "sam@example.com", language="en"),
}
NEW_PAIR = MentoringPairMatched(
    producer="matcher", match_id="p2", round_id="r1", mentor_id="a", mentee_id="b",
    occurred_at=NOW, explanation=Explanation(), revision=1, replaces=("p1",),
).model_dump(mode="json")  # fmt: skip
ENDED = MatchSuperseded(
    producer="matcher", match_id="n1", round_id="r1", revision=1, kind="mentoring",
    superseded_match_id="p1", members=("b",), reason="declined", occurred_at=NOW,
).model_dump(mode="json")  # fmt: skip


def label(code: str, language: str) -> str:
    return code


def test_a_replacing_match_says_the_previous_one_changed_in_each_language() -> None:
    french = render([Section(NEW_PAIR, "mentor")], PEOPLE["a"], PEOPLE, NOW, label)
    english = render([Section(NEW_PAIR, "mentee")], PEOPLE["b"], PEOPLE, NOW, label)
    assert "Votre proposition précédente a changé" in french.body
    assert "Your previous match has changed" in english.body
    first = {**NEW_PAIR, "replaces": [], "revision": 0}
    assert (
        "précédente" not in render([Section(first, "mentor")], PEOPLE["a"], PEOPLE, NOW, label).body
    )


def test_an_ended_match_is_a_cancellation_to_its_members_without_an_invitation() -> None:
    assert recipients(ENDED) == [("b", "match_ended")] and people_named(ENDED, "b") == []
    message = render([Section(ENDED, "match_ended")], PEOPLE["b"], PEOPLE, NOW, label)
    assert message.subject == "Entraide: your match is cancelled" and message.ics is None
    french = render([Section(ENDED, "match_ended")], PEOPLE["a"], PEOPLE, NOW, label)
    assert "annulée" in french.subject


def test_each_repair_is_a_message_of_its_own_despite_the_cap_per_round() -> None:
    assert _announcement({"round_id": "r1"}) == "r1"
    assert _announcement(NEW_PAIR) == "r1#1" != _announcement({**NEW_PAIR, "revision": 2})


def test_the_superseded_event_round_trips_through_the_match_union() -> None:
    assert match_event_adapter.validate_python(ENDED).members == ("b",)


def test_the_cancellation_of_a_repair_is_told_like_an_announcement() -> None:
    assert is_told(ENDED) and is_told(NEW_PAIR)
    accepted = {**ENDED, "type": "match.accepted"}
    assert not is_told(accepted)
