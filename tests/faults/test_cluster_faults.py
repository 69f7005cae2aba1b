"""The short fault schedule: the whole cluster shape in network namespaces, under load.

One stack for the module (:class:`deploy.faults.stack.FaultStack`: 3 nats nodes,
2 replicas of profiles, matcher and notifier as separate processes, PostgreSQL, the
SMTP sink), 100 members editing their profiles, then three faults in turn, each while
HR imports members and a groups round is computed, published and announced, and a
mentoring round is asked for: kill -9 of the stream leader, a follower partitioned
away, kill -9 of a notifier replica during the announcements. After each, the
checker reads the stream, the matcher's projection, the consumers, the notifier's
deliveries and inboxes and the SMTP sink: nothing acknowledged is lost or doubled,
nothing is stale, nothing is stuck, every announcement arrived once per person, match
and channel. The long schedule (every fault, repeated) is ``deploy/faults/run.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deploy.faults.netns import unavailable
from deploy.faults.run import line
from deploy.faults.scenarios import Outcome, run_schedule
from deploy.local.postgres import bindir

pytestmark = [pytest.mark.faults, pytest.mark.nats]

SHORT = [
    ("kill -9 stream leader, restart", 5.0),
    ("partition a follower", 6.0),
    ("kill -9 a notifier replica, restart", 5.0),
]
#: The schedule's time budget: whatever happens, it ends by then with its outcomes, well
#: inside the first test's timeout (600 s, the stack's start and stop included).
#: It takes 70-105 s here (the longest setup of the suite).
BUDGET_S = 360.0


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    reason = unavailable()
    try:
        bindir()
    except FileNotFoundError as exc:  # the stack starts its own PostgreSQL
        reason = reason or str(exc)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the fault suite: {reason}")
        pytest.skip(reason)
    folder: Path = tmp_path_factory.mktemp("faults")
    schedule = run_schedule(
        SHORT, folder, 100, 90.0, report=lambda o: print(line(o, 1)), budget_s=BUDGET_S
    )
    return {o.fault: o for o in schedule}


def assert_nothing_lost_doubled_or_stuck(outcome: Outcome) -> None:
    v, a = outcome.verdict, outcome.verdict.announcements
    assert outcome.error == ""
    assert v.acknowledged > 20  # the import and the edits around the fault
    assert (v.lost, v.duplicated, v.stale, v.stuck) == ([], [], [], 0)
    assert a.expected > 100  # a groups round of about 120 people, e-mail and in-app
    assert (a.lost, a.duplicated, a.stuck) == ([], [], 0)
    assert v.stuck_rounds == []


@pytest.mark.timeout(600)
def test_killing_the_stream_leader_loses_doubles_and_blocks_nothing(
    outcomes: dict[str, Outcome],
) -> None:
    assert_nothing_lost_doubled_or_stuck(outcomes["kill -9 stream leader, restart"])


@pytest.mark.timeout(600)
def test_partitioning_a_follower_away_loses_doubles_and_blocks_nothing(
    outcomes: dict[str, Outcome],
) -> None:
    assert_nothing_lost_doubled_or_stuck(outcomes["partition a follower"])


@pytest.mark.timeout(600)
def test_killing_a_notifier_replica_during_the_announcements_loses_and_doubles_none(
    outcomes: dict[str, Outcome],
) -> None:
    assert_nothing_lost_doubled_or_stuck(outcomes["kill -9 a notifier replica, restart"])
