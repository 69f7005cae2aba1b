"""The e-mail channel's circuit breaker and the retry horizon, with time passed in."""

from __future__ import annotations

import doctest
from datetime import UTC, datetime, timedelta

import services.notifier.domain.breaker as breaker_module
import services.notifier.domain.policy as policy_module
from services.notifier.domain.breaker import CircuitBreaker
from services.notifier.domain.policy import gives_up

T0 = datetime(2026, 11, 27, 12, tzinfo=UTC)


def test_the_examples_in_the_breaker_and_the_policy_run() -> None:
    for module in (breaker_module, policy_module):
        failed, attempted = doctest.testmod(module)
        assert attempted > 0 and failed == 0


def test_a_dead_relay_gets_one_probe_per_opening_over_ten_minutes() -> None:
    b = CircuitBreaker(threshold=3, open_s=60)
    sends = 0
    now = T0
    while now < T0 + timedelta(minutes=10):
        for _ in range(300):  # every pending announcement of a round asks each second
            if b.admit(now):
                sends += 1
                b.failed(now)
        now += timedelta(seconds=1)
    assert sends == 3 + 9  # three failures open it, then one probe a minute


def test_a_probe_that_succeeds_closes_the_breaker_and_everything_flows_again() -> None:
    b = CircuitBreaker(threshold=1, open_s=60)
    b.failed(T0)
    assert not b.admit(T0 + timedelta(seconds=59))
    assert b.retry_at(T0) == T0 + timedelta(seconds=60)
    assert b.admit(T0 + timedelta(seconds=60))
    b.succeeded()
    assert all(b.admit(T0 + timedelta(seconds=61)) for _ in range(50))


def test_a_failed_probe_opens_it_again_for_the_full_wait() -> None:
    b = CircuitBreaker(threshold=1, open_s=60)
    b.failed(T0)
    probe_time = T0 + timedelta(seconds=60)
    assert b.admit(probe_time)
    b.failed(probe_time)
    assert b.state == "open" and not b.admit(probe_time + timedelta(seconds=59))


def test_a_transient_failure_is_retried_until_the_horizon_whatever_the_attempts() -> None:
    assert not gives_up(500, T0, T0 + timedelta(hours=23), 0, 86_400)
    assert gives_up(500, T0, T0 + timedelta(hours=24), 0, 86_400)
    assert gives_up(3, T0, T0, 3, 86_400)  # an explicit limit still applies
