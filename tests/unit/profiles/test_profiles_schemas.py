"""Request schemas: unknown and identity fields refused, nulls only where optional."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.profiles.api.schemas import MemberCreate, MemberUpdate
from services.profiles.service_layer.members import merged

BASE = {"display_name": "Anne", "email": "Anne@Ex.FR", "site": "Lyon"}


def test_a_minimal_member_gets_french_defaults() -> None:
    member = MemberCreate(**BASE)
    assert member.email == "anne@ex.fr"
    assert member.preferred_language == "fr"
    assert member.notification_channels == ["email", "inapp"]
    assert member.languages == ["fr"]


@pytest.mark.parametrize("field", ["id", "version", "roles", "created_at", "member_id"])
def test_identity_fields_are_refused(field: str) -> None:
    with pytest.raises(ValidationError, match=r"extra_forbidden|Extra inputs"):
        MemberCreate(**BASE, **{field: "x"})
    with pytest.raises(ValidationError):
        MemberUpdate(**{field: "x"})


def test_the_chat_channel_needs_an_https_webhook() -> None:
    with pytest.raises(ValidationError, match="chat_webhook_url"):
        MemberCreate(**BASE, notification_channels=["chat"])
    with pytest.raises(ValidationError):
        MemberCreate(**BASE, chat_webhook_url="http://insecure.example.com/hook")
    ok = MemberCreate(
        **BASE, notification_channels=["chat", "chat"], chat_webhook_url="https://h.example/x"
    )
    assert ok.notification_channels == ["chat"]


def test_null_clears_optional_fields_only() -> None:
    assert MemberUpdate(paused_until=None).changes() == {"paused_until": None}
    with pytest.raises(ValidationError, match="site"):
        MemberUpdate(site=None)


def test_a_partial_update_merges_nested_objects() -> None:
    current = {"opt_ins": {"mentor": True, "mentor_capacity": 2}, "site": "Lyon"}
    changes = MemberUpdate(opt_ins={"mentee": True}).changes()
    assert merged(current, changes)["opt_ins"] == {
        "mentor": True,
        "mentor_capacity": 2,
        "mentee": True,
    }
