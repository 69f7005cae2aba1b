"""The intake of match events writes one delivery per (match, member, channel) and
says how many are new: a redelivered batch, or a batch overlapping an earlier one,
adds none (the insert is one statement with many parameter sets)."""

from __future__ import annotations

from services.notifier.main import MIGRATIONS
from services.notifier.service_layer.matches import accept_matches
from shared.db import make_engine
from shared.events import SIMULATION_PRODUCER, Explanation, MentoringPairMatched
from shared.migrations import upgrade


def pair(i: int, producer: str = "matcher") -> MentoringPairMatched:
    return MentoringPairMatched(
        producer=producer, match_id=f"intake-{i}", round_id="intake-round",
        mentor_id=f"mentor-{i}", mentee_id=f"mentee-{i}",
        explanation=Explanation(reasons=("cross_site",)),
    )  # fmt: skip


def test_a_redelivered_or_overlapping_batch_adds_no_delivery(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    first = [pair(i) for i in range(40)]
    assert accept_matches(engine, first) == 40 * 2 * 3  # 2 members x 3 channels each
    assert accept_matches(engine, first) == 0
    overlapping = [pair(i) for i in range(30, 50)]
    assert accept_matches(engine, overlapping) == 10 * 2 * 3
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT count(*), count(DISTINCT match_id || member_id || channel) FROM deliveries"
        ).one()
    assert tuple(rows) == (50 * 2 * 3, 50 * 2 * 3)
    assert accept_matches(engine, []) == 0


def test_the_events_of_a_simulated_past_tell_nobody(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, MIGRATIONS)
    assert accept_matches(engine, [pair(i, SIMULATION_PRODUCER) for i in range(5)]) == 0
    assert accept_matches(engine, [pair(9)]) == 2 * 3  # a real announcement still tells
