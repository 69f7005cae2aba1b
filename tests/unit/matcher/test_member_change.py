"""What the projection keeps of each member event (``MemberChange.of``)."""

from __future__ import annotations

from services.matcher.service_layer.projection import MemberChange
from shared.events import (
    MatchingProfile,
    MemberDeactivated,
    MemberErased,
    MemberProfileUpdated,
    MemberRegistered,
)

PROFILE = MatchingProfile(site="Lyon", skills={"py": 3}, themes=("t1",))


def test_a_registration_or_an_update_keeps_the_profile_as_its_json() -> None:
    for cls in (MemberRegistered, MemberProfileUpdated):
        event = cls(producer="t", member_id="m1", version=2, profile=PROFILE)
        change = MemberChange.of(event)
        assert (change.event_id, change.member_id, change.version) == (event.event_id, "m1", 2)
        assert change.occurred_at == event.occurred_at and not change.deactivated
        assert change.profile is not None
        assert MatchingProfile.model_validate_json(change.profile) == PROFILE


def test_an_erasure_keeps_no_profile_and_a_deactivation_is_marked() -> None:
    erased = MemberChange.of(MemberErased(producer="t", member_id="m1", version=3))
    assert erased.profile is None and not erased.deactivated and erased.version == 3
    left = PROFILE.model_copy(update={"left_on": None})
    gone = MemberChange.of(MemberDeactivated(producer="t", member_id="m1", version=4, profile=left))
    assert gone.deactivated and gone.profile is not None
