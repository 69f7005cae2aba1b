"""The matcher's /metrics over a real nats-server: rounds, durations, consumers, dead letters."""

from __future__ import annotations

import json

import pytest

from services.matcher.main import create_app as matcher_app
from shared import subjects
from tests.matcher_support import propose_round
from tests.support import eventually, operator_jetstream, running, sample, scrape

pytestmark = pytest.mark.nats

RECEIVED = "faststream_received_processed_messages_total"


async def test_a_proposed_round_shows_in_rounds_by_state_and_in_the_round_durations(
    matcher_env,
) -> None:
    async with matcher_env(24) as env:
        matcher, hr, tag = env.client, env.hr, env.tag
        env.app.state.metrics.refresh_s = 0
        before = await scrape(matcher)
        body = {"client_request_id": f"metrics-{tag}", "kind": "groups", "name": "Groupes"}
        await propose_round(matcher, hr, body)
        after = await scrape(matcher)
        text = (await matcher.get("/metrics")).text

    proposed = {"kind": "groups", "state": "proposed"}
    assert sample(before, "entraide_rounds", **proposed) == 0
    assert sample(after, "entraide_rounds", **proposed) == 1
    assert sample(after, "entraide_rounds", kind="rotations", state="failed") == 0  # all pairs
    durations = "entraide_round_duration_seconds_count"
    assert sample(after, durations, kind="groups") == sample(before, durations, kind="groups") + 1
    assert sample(after, "entraide_round_duration_seconds_sum", kind="groups") > 0
    # the members were consumed: FastStream's middleware counted them, acknowledged
    members = {"app_name": "matcher", "broker": "nats", "handler": subjects.MEMBER_REGISTERED}
    assert sample(after, RECEIVED, status="acked", **members) >= len(env.people)
    lag = {"stream": subjects.STREAM_MEMBERS, "consumer": subjects.DURABLE_MATCHER_MEMBERS}
    assert ("entraide_consumer_lag_messages", frozenset(lag.items())) in after
    assert sample(after, "entraide_metrics_probe_up", probe="consumer_lag") == 1
    assert ("entraide_outbox_pending", frozenset()) in after  # round.proposed may still wait
    assert not any(person.member_id in text for person in env.people)  # no member ids


async def test_a_poison_message_raises_the_dead_letter_count(make_settings) -> None:
    settings = make_settings(metrics_refresh_s=0)
    async with running(matcher_app(settings)) as matcher:
        before = await scrape(matcher)
        poison = {"type": "member.registered", "member_id": "poison-metrics-1", "version": "x"}
        await operator_jetstream(matcher).publish(
            subjects.MEMBER_REGISTERED, json.dumps(poison).encode()
        )

        async def parked() -> dict | None:
            now = await scrape(matcher)
            grew = sample(now, "entraide_dead_letters") > sample(before, "entraide_dead_letters")
            return now if grew else None

        after = await eventually(parked)
    assert isinstance(after, dict)
    assert sample(after, "entraide_metrics_probe_up", probe="dead_letters") == 1
