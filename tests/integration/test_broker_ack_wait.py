"""The consumers' short ack_wait: a slow handler keeps its message (in-progress acks),
and a message fetched by a replica that died goes to the other one after ack_wait."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from pathlib import Path

import nats
import pytest
from faststream.nats import NatsBroker

import shared.broker
from deploy.local.nats_server import NatsServer, password_settings
from services import matcher
from shared import subjects
from shared.broker import durable_subscriber, make_broker, start_broker
from shared.settings import Settings
from tests.support import eventually

pytestmark = pytest.mark.nats


@pytest.fixture
def own_server(own_nats_server: NatsServer) -> NatsServer:
    """A broker of its own: the test owns the matcher's durable consumer on it."""
    return own_nats_server


@pytest.fixture
def with_ack_wait(
    own_server: NatsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[float], Settings]:
    """Settings on the test's broker, the consumers' ack_wait set to the given seconds."""

    def make(seconds: float) -> Settings:
        monkeypatch.setattr(shared.broker, "ACK_WAIT_S", seconds)
        values = {"env": "test", "data_dir": tmp_path, "nats_url": own_server.address,
                  **password_settings(own_server.passwords)}  # fmt: skip
        return Settings(**values)  # type: ignore[arg-type]

    return make


async def replica(settings: Settings, seen: list[str], busy_s: float) -> NatsBroker:
    """A started consumer on the matcher's durable: notes each message, works ``busy_s``."""
    broker = make_broker(settings, matcher.SERVICE)

    @durable_subscriber(
        broker,
        subjects.MEMBERS_ALL,
        stream=subjects.STREAM_MEMBERS,
        durable=subjects.DURABLE_MATCHER_MEMBERS,
        service=matcher.SERVICE,
    )
    async def handle(body: dict[str, str]) -> None:
        seen.append(body["member_id"])
        await asyncio.sleep(busy_s)

    await start_broker(broker, settings, matcher.NATS_ACCESS)
    return broker


async def publish(server: NatsServer, member_id: str) -> None:
    nc = await nats.connect(server.url)
    try:
        body = json.dumps({"member_id": member_id}).encode()
        await nc.jetstream().publish(subjects.MEMBER_REGISTERED, body)
    finally:
        await nc.close()


async def redelivered(server: NatsServer) -> int:
    nc = await nats.connect(server.url)
    try:
        info = await nc.jetstream().consumer_info(
            subjects.STREAM_MEMBERS, subjects.DURABLE_MATCHER_MEMBERS
        )
        return int(info.num_redelivered or 0) + int(info.num_ack_pending or 0)
    finally:
        await nc.close()


async def test_a_handler_busy_for_three_ack_waits_keeps_its_message_from_the_other_replica(
    own_server: NatsServer, with_ack_wait: Callable[[float], Settings]
) -> None:
    settings = with_ack_wait(1.0)
    seen: list[str] = []
    replicas = [await replica(settings, seen, busy_s=3.5) for _ in range(2)]
    try:
        await publish(own_server, "slow-1")
        await eventually(lambda: seen, timeout=20)
        await asyncio.sleep(5)  # past the handler's end: the idle replica would have it by now
        assert seen == ["slow-1"]
        assert await redelivered(own_server) == 0
    finally:
        for broker in replicas:
            await broker.stop()


async def test_a_message_held_by_a_replica_that_stopped_goes_to_the_other_after_ack_wait(
    own_server: NatsServer, with_ack_wait: Callable[[float], Settings]
) -> None:
    settings = with_ack_wait(2.0)
    first: list[str] = []
    dying = await replica(settings, first, busy_s=8)  # acks too late: its connection is gone
    await publish(own_server, "held-1")
    await eventually(lambda: first, timeout=20)
    await dying.connection.close()  # its in-progress acks stop, as with kill -9
    second: list[str] = []
    other = await replica(settings, second, busy_s=0)
    try:
        await eventually(lambda: second, timeout=30)
        assert second == ["held-1"]
    finally:
        await other.stop()
        with contextlib.suppress(Exception):
            await dying.stop()
