"""The matcher's metrics: rounds by kind and state, round durations, outbox backlog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import get_args

from prometheus_client import Histogram
from sqlalchemy import Engine, func, select

from services.matcher.adapters.orm import outbox, rounds
from services.matcher.domain.round import Round
from shared.events import RoundKind, RoundState
from shared.metrics import Metrics, watch_outbox
from shared.outbox import pending_count

#: Seconds from a round's request to its proposal: a small cohort (1 s) to 50,000 (1 h).
ROUND_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0)
Run = Callable[[str, Callable[[], None]], object]


def rounds_by_state(engine: Engine) -> dict[tuple[str, ...], int]:
    """(kind, state) -> number of rounds; every pair present, 0 when none."""
    counts: dict[tuple[str, ...], int] = {
        (k, s): 0 for k in get_args(RoundKind) for s in get_args(RoundState)
    }
    query = select(rounds.c.kind, rounds.c.state, func.count()).group_by(
        rounds.c.kind, rounds.c.state
    )
    with engine.connect() as conn:
        for kind, state, n in conn.execute(query):
            counts[(kind, state)] = int(n)
    return counts


def watch(metrics: Metrics, engine: Engine) -> None:
    metrics.add_counts(
        "entraide_rounds",
        "Rounds by kind and state.",
        ("kind", "state"),
        lambda: rounds_by_state(engine),
    )
    watch_outbox(metrics, lambda: pending_count(engine, outbox))


def round_durations(metrics: Metrics) -> Histogram:
    return metrics.histogram(
        "entraide_round_duration_seconds",
        "Seconds from a round's request to its proposal, by kind (queueing included).",
        ("kind",),
        ROUND_BUCKETS,
    )


def timed(run: Run, durations: Histogram) -> Run:
    """``run`` that records request -> proposed in ``durations`` when a round is proposed."""

    def run_and_time(round_id: str, notify: Callable[[], None]) -> object:
        result = run(round_id, notify)
        if isinstance(result, Round) and result.state == "proposed":
            elapsed = datetime.now(UTC) - result.created_at
            durations.labels(result.kind).observe(max(0.0, elapsed.total_seconds()))
        return result

    return run_and_time
