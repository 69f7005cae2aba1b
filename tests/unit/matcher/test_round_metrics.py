"""The matcher's round-duration metric: request -> proposed, per kind, nothing else."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from services.matcher.adapters.metrics import round_durations, timed
from services.matcher.domain.parameters import GroupsParameters
from services.matcher.domain.round import Round
from shared.events import RoundScope
from shared.metrics import Metrics
from tests.support import parse_metrics, sample


def requested(seconds_ago: float) -> Round:
    now = datetime.now(UTC)
    return Round.request(
        "r1", "q1", "groups", "", RoundScope(), GroupsParameters(), "hr",
        now - timedelta(seconds=seconds_ago),
    )  # fmt: skip


async def test_a_proposed_round_is_timed_from_its_request_and_a_failed_one_is_not() -> None:
    metrics = Metrics("matcher", refresh_s=0)
    outcomes = [replace(requested(90), state="proposed"), replace(requested(5), state="failed")]
    run = timed(lambda round_id, notify: outcomes.pop(0), round_durations(metrics))
    run("r1", lambda: None)
    run("r2", lambda: None)
    samples = parse_metrics((await metrics.exposition()).decode())
    assert sample(samples, "entraide_round_duration_seconds_count", kind="groups") == 1
    assert 90 <= sample(samples, "entraide_round_duration_seconds_sum", kind="groups") < 120
    assert sample(samples, "entraide_round_duration_seconds_bucket", kind="groups", le="60.0") == 0
    assert sample(samples, "entraide_round_duration_seconds_bucket", kind="groups", le="120.0") == 1
