"""The 'Réparer le tour' form is pre-filled with the departures no repair has handled yet
(declines, no answers), never with an erasure's tombstone nor a repaired departure."""

from __future__ import annotations

from services.portal.service_layer.repairs import RepairPage


def test_the_repair_form_lists_the_pending_declines_and_no_answers_only() -> None:
    departures = [
        {"member_id": "a", "reason": "declined", "repaired_in": None},
        {"member_id": "b", "reason": "declined", "repaired_in": 1},
        {"member_id": "c", "reason": "unanswered", "repaired_in": None},
        {"member_id": "~erased", "reason": "erased", "repaired_in": None},
    ]
    page = RepairPage({"id": "r"}, {"departures": departures, "repairs": []}, {})
    assert page.pending == ["a", "c"]
