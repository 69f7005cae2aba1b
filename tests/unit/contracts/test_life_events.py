"""The contracts of the life of a match: in a stream, PII-free, deterministic where idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from shared import subjects
from shared.events import ALL_EVENTS
from shared.life_events import (
    LIFE_EVENTS,
    GroupSessionRecorded,
    MatchAccepted,
    MatchDeclined,
    MatchFeedbackGiven,
    life_event_adapter,
    life_event_id,
)
from shared.vocabulary.codes import CheckinFit, ClosingReason, DeclineReason
from shared.vocabulary.i18n import has_message

AT = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
FORBIDDEN = {"email", "display_name", "name", "phone", "comment", "notes", "text", "message"}


def test_every_life_event_has_a_subject_inside_a_stream_and_a_unique_type() -> None:
    prefixes = [s.removesuffix(">") for subs in subjects.STREAM_SUBJECTS.values() for s in subs]
    types = [e.model_fields["type"].default for e in LIFE_EVENTS]
    assert len(set(types)) == len(types)
    for event in LIFE_EVENTS:
        assert any(event.subject.startswith(p) for p in prefixes), event.__name__


def test_no_life_event_lands_on_the_announcements_subjects_the_notifier_reads() -> None:
    for event in LIFE_EVENTS:
        assert not event.subject.startswith(subjects.MATCHES_ALL.removesuffix(">"))
    assert not {e.subject for e in LIFE_EVENTS} & {e.subject for e in ALL_EVENTS}


def test_no_life_event_carries_contact_data_or_free_text() -> None:
    for event in LIFE_EVENTS:
        assert not FORBIDDEN & set(event.model_fields), event.__name__


def test_a_retried_answer_yields_the_same_event_id() -> None:
    first = life_event_id("match-1", "m1", "answer")
    assert first == life_event_id("match-1", "m1", "answer")
    assert first != life_event_id("match-1", "m2", "answer")
    assert len(first) == 32 and int(first, 16) >= 0


def test_a_declined_event_round_trips_with_its_reason_code_and_clock_time() -> None:
    event = MatchDeclined(event_id=life_event_id("x", "m1", "answer"), producer="matcher",
                          occurred_at=AT, match_id="x", round_id="r", kind="mentoring",
                          member_id="m1", reason=DeclineReason.NOT_A_FIT)  # fmt: skip
    decoded = life_event_adapter.validate_json(event.model_dump_json())
    assert decoded == event and decoded.occurred_at == AT
    with pytest.raises(ValidationError):
        MatchDeclined(producer="matcher", match_id="x", round_id="r", kind="mentoring",
                      member_id="m1", reason="bored")  # type: ignore[arg-type]  # fmt: skip


def test_life_events_are_frozen_and_refuse_unknown_fields() -> None:
    event = MatchAccepted(producer="matcher", match_id="x", round_id="r", kind="groups",
                          member_id="m1")  # fmt: skip
    with pytest.raises(ValidationError):
        event.member_id = "m2"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        MatchAccepted(producer="matcher", match_id="x", round_id="r", kind="groups",
                      member_id="m1", email="a@b.fr")  # type: ignore[call-arg]  # fmt: skip


def test_feedback_satisfaction_is_between_one_and_five() -> None:
    with pytest.raises(ValidationError):
        MatchFeedbackGiven(producer="matcher", match_id="x", round_id="r", kind="mentoring",
                           member_id="m1", satisfaction=6, would_recommend=True)  # fmt: skip


def test_a_group_session_names_attendees_by_id_only() -> None:
    event = GroupSessionRecorded(producer="matcher", match_id="g", round_id="r", kind="groups",
                                 session_date=date(2027, 2, 1), attendee_ids=("m1", "m2"),
                                 recorded_by="m1")  # fmt: skip
    assert life_event_adapter.validate_json(event.model_dump_json()) == event


@pytest.mark.parametrize(
    ("prefix", "codes"),
    [("decline", DeclineReason), ("fit", CheckinFit), ("closing", ClosingReason)],
)
def test_every_life_code_has_words_in_the_catalogue(prefix: str, codes: type) -> None:
    for code in codes:
        assert has_message(f"{prefix}.{code}"), f"{prefix}.{code}"
