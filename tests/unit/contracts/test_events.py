"""Event contracts: frozen, strict, versioned, and free of contact data."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared import subjects
from shared.events import (
    ALL_EVENTS,
    MatchingProfile,
    MemberErased,
    MemberRegistered,
    member_event_adapter,
)


def test_every_event_has_a_subject_inside_a_stream() -> None:
    prefixes = [s.removesuffix(">") for subs in subjects.STREAM_SUBJECTS.values() for s in subs]
    for event in ALL_EVENTS:
        assert any(event.subject.startswith(p) for p in prefixes), event.__name__


def test_events_are_frozen_and_reject_unknown_fields() -> None:
    event = MemberErased(producer="profiles", member_id="m1", version=3)
    with pytest.raises(ValidationError):
        event.version = 4  # type: ignore[misc]
    with pytest.raises(ValidationError):
        MemberErased(producer="profiles", member_id="m1", version=3, email="x@y.fr")  # type: ignore[call-arg]


def test_member_events_round_trip_through_the_discriminated_union() -> None:
    event = MemberRegistered(
        producer="profiles", member_id="m1", version=1, profile=MatchingProfile(site="Lyon")
    )
    decoded = member_event_adapter.validate_json(event.model_dump_json())
    assert decoded == event
    assert decoded.event_id == event.event_id and len(event.event_id) == 32


def test_a_member_version_starts_at_one() -> None:
    with pytest.raises(ValidationError):
        MemberErased(producer="profiles", member_id="m1", version=0)


def test_the_matching_profile_carries_no_contact_data() -> None:
    forbidden = {"email", "display_name", "name", "phone", "chat_webhook_url", "notes"}
    assert not forbidden & set(MatchingProfile.model_fields)
