"""The short fault schedule: a 3-node cluster in network namespaces, under profile edits.

Each test starts a fresh cluster (one namespace per node on a bridge, 198.18.0.0/24),
the profiles service and the matcher on streams with 3 replicas, keeps 100 members
editing their profiles, injects one fault, ends it and checks the history: every
acknowledged write is in the stream exactly once, the matcher's projection reaches
each member's last acknowledged version, and its consumer has nothing left pending.
The long schedule (every fault, repeated) is ``deploy/faults/run.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deploy.faults.netns import unavailable
from deploy.faults.scenarios import run_scenario

pytestmark = [pytest.mark.faults, pytest.mark.nats]


@pytest.fixture(autouse=True)
def namespaces_available() -> None:
    reason = unavailable()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the fault suite: {reason}")
        pytest.skip(reason)


def assert_nothing_lost_or_doubled(outcome: object) -> None:
    verdict = outcome.verdict  # type: ignore[attr-defined]
    assert verdict.acknowledged > 100  # the registrations and the edits around the fault
    assert verdict.lost == []
    assert verdict.duplicated == []
    assert verdict.stale == []
    assert verdict.stuck == 0


@pytest.mark.timeout(300)
async def test_killing_the_stream_leader_mid_workload_loses_and_doubles_no_acknowledged_edit(
    tmp_path: Path,
) -> None:
    outcome = await run_scenario("kill -9 stream leader, restart", tmp_path, fault_s=5.0)
    assert_nothing_lost_or_doubled(outcome)


@pytest.mark.timeout(300)
async def test_partitioning_one_node_away_loses_and_doubles_no_acknowledged_edit(
    tmp_path: Path,
) -> None:
    outcome = await run_scenario("partition a follower", tmp_path, fault_s=8.0)
    assert_nothing_lost_or_doubled(outcome)
