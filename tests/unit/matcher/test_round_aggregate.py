"""The round aggregate owns the state machine: every legal and illegal transition."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from services.matcher.domain.adjustments import LockMatch, RemoveMember
from services.matcher.domain.errors import InvalidTransition
from services.matcher.domain.parameters import GroupsParameters
from services.matcher.domain.round import LEASE, Round
from shared.events import RoundProgressed, RoundProposed, RoundPublished, RoundScope, RoundState
from shared.life_events import RoundRepaired
from shared.vocabulary import ProgressStep

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
STATES: tuple[RoundState, ...] = (
    "requested", "running", "proposed", "published", "cancelled", "failed",
)  # fmt: skip
REPORT = {"headline": {"cohesion_mean": 0.5}}

ACTIONS: dict[str, Callable[[Round], object]] = {
    "start": lambda r: r.start(NOW),
    "advance": lambda r: r.advance(0.3, ProgressStep.SOLVING, NOW),
    "propose": lambda r: r.propose(REPORT, NOW),
    "adjust": lambda r: r.adjust(LockMatch("x"), REPORT, NOW),
    "publish": lambda r: r.publish(3, NOW),
    "cancel": lambda r: r.cancel(NOW),
    "fail": lambda r: r.fail("groups_impossible", NOW),
    "repair": lambda r: r.repair(2, ("m9",), "hr", NOW),
}

# (state, action) -> the state after it; a pair not listed is illegal.
LEGAL: dict[tuple[RoundState, str], RoundState] = {
    ("requested", "start"): "running",
    ("requested", "cancel"): "cancelled",
    ("running", "advance"): "running",
    ("running", "propose"): "proposed",
    ("running", "cancel"): "cancelled",
    ("running", "fail"): "failed",
    ("proposed", "adjust"): "proposed",
    ("proposed", "publish"): "published",
    ("proposed", "cancel"): "cancelled",
    ("published", "publish"): "published",
    ("published", "repair"): "published",
    ("failed", "cancel"): "cancelled",
}


def a_round(state: RoundState = "requested", lease_until: datetime | None = None) -> Round:
    r = Round.request(
        "r1", "req-1", "groups", "", RoundScope(), GroupsParameters(), "hr", NOW - timedelta(1)
    )
    r.state, r.lease_until = state, lease_until
    r.events.clear()
    return r


@pytest.mark.parametrize(("state", "action"), sorted(LEGAL))
def test_a_legal_transition_reaches_its_state(state: RoundState, action: str) -> None:
    r = a_round(state)
    ACTIONS[action](r)
    assert r.state == LEGAL[(state, action)]
    assert r.updated_at == NOW or (state, action) == ("published", "publish")


ILLEGAL = [(s, a) for s in STATES for a in ACTIONS if (s, a) not in LEGAL]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_an_illegal_transition_raises_and_changes_nothing(state: RoundState, action: str) -> None:
    r = a_round(state, lease_until=NOW + LEASE)
    with pytest.raises(InvalidTransition) as caught:
        ACTIONS[action](r)
    assert caught.value.status == 409 and caught.value.code == "round_invalid_transition"
    assert caught.value.params == {"state": state, "action": action}
    assert r.state == state and not r.events


def test_a_running_round_is_claimed_again_only_once_its_lease_ran_out() -> None:
    alive = a_round("running", lease_until=NOW + timedelta(seconds=1))
    with pytest.raises(InvalidTransition):
        alive.start(NOW)
    lapsed = a_round("running", lease_until=NOW - timedelta(seconds=1))
    lapsed.start(NOW)
    assert lapsed.lease_until == NOW + LEASE and lapsed.step == ProgressStep.LOADING_MEMBERS


def test_a_new_round_waits_with_a_progress_event_and_a_default_name() -> None:
    r = Round.request("r1", "q", "mentoring", "", RoundScope(), GroupsParameters(), "hr", NOW)
    assert (r.state, r.step, r.name) == ("requested", ProgressStep.WAITING, "mentoring 2025-03-01")
    (event,) = r.events
    assert isinstance(event, RoundProgressed) and event.step == "waiting"


def test_proposing_records_the_headline_figures_and_ends_the_lease() -> None:
    r = a_round("running", lease_until=NOW)
    r.propose(REPORT, NOW)
    assert (r.progress, r.step, r.lease_until) == (1.0, ProgressStep.PROPOSAL_READY, None)
    (event,) = r.events
    assert isinstance(event, RoundProposed) and event.figures == {"cohesion_mean": 0.5}


def test_an_adjustment_is_kept_and_removed_members_are_known() -> None:
    r = a_round("proposed")
    r.adjust(RemoveMember("m7"), REPORT, NOW)
    r.adjust(LockMatch("x"), REPORT, NOW)
    assert r.adjustments == [RemoveMember("m7"), LockMatch("x")]
    assert r.removed_members() == {"m7"}


def test_publishing_twice_announces_once() -> None:
    r = a_round("proposed")
    assert r.publish(4, NOW) is True
    assert r.publish(4, NOW) is False
    assert [type(e) for e in r.events] == [RoundPublished]


def test_a_failure_keeps_its_reason_code() -> None:
    r = a_round("running")
    r.fail("rotations_impossible", NOW)
    assert (r.error, r.step) == ("rotations_impossible", ProgressStep.FAILED)


def test_a_repair_keeps_the_round_published_with_the_next_revision_and_says_so() -> None:
    r = a_round("published")
    assert r.repair(3, ("m1", "m2"), "hr", NOW) == 1 and r.repair(1, ("m3",), "", NOW) == 2
    assert r.state == "published" and r.revision == 2
    first = r.events[0]
    assert isinstance(first, RoundRepaired) and first.changed_member_count == 3
    assert first.changed_match_ids == ("m1", "m2") and first.repaired_by == "hr"
