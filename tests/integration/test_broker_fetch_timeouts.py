"""An empty pull fetch times out with nats' own error, which FastStream handles."""

from __future__ import annotations

import nats
import pytest
from nats.errors import TimeoutError as NatsTimeoutError

import shared.broker  # noqa: F401 - applies the fetch wrapper
from shared import subjects
from shared.broker import ensure_streams
from shared.settings import Settings

pytestmark = pytest.mark.nats


async def test_an_empty_fetch_raises_the_nats_timeout_that_faststream_catches(nats_server) -> None:
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    try:
        await ensure_streams(js, Settings())
        sub = await js.pull_subscribe(
            f"{subjects.PREFIX}.round.nothing-here", stream=subjects.STREAM_ROUNDS
        )
        bare = 0
        for i in range(300):  # short deadlines hit nats-py's bare-timeout branch often
            try:
                await sub.fetch(10, timeout=0.001 * (1 + i % 20))
            except NatsTimeoutError:
                continue
            except TimeoutError:
                bare += 1
        assert bare == 0
    finally:
        await nc.close()
