"""The outbox's ``notification.delivered`` events: one per round and batch (issue 14)."""

from __future__ import annotations

from types import SimpleNamespace

from services.notifier.service_layer.outbox import delivered_batches


def test_the_delivered_rows_of_a_round_make_one_event_whose_id_depends_on_the_rows() -> None:
    def row(i: int, round_id: str = "r1", correlation_id: str | None = "c1") -> SimpleNamespace:
        return SimpleNamespace(id=f"d{i}", match_id=f"x{i}", member_id=f"m{i}", channel="email",
                               round_id=round_id, correlation_id=correlation_id)  # fmt: skip

    rows = [row(1), row(2), row(3, "r2"), row(4, correlation_id=None)]
    batches = delivered_batches(rows)
    assert [(e.round_id, [d.delivery_id for d in e.deliveries], c) for e, c in batches] == [
        ("r1", ["d1", "d2"], "c1"), ("r2", ["d3"], "c1"), ("r1", ["d4"], None)
    ]  # fmt: skip
    again = delivered_batches(list(reversed(rows[:2])))  # republished: same id, dropped
    assert again[0][0].event_id == batches[0][0].event_id and again[0][0].schema_version == 2
    assert len(delivered_batches([row(i) for i in range(501)])) == 2  # at most 500 an event
