"""``entraide dlq list`` and ``entraide dlq replay``: the operator replays dead letters once.

Uses a nats-server of its own (``replay --all`` must not replay other tests' letters),
a real matcher consuming the replayed member events, and the command as an operator
runs it (a separate process, with the operator's password from the environment).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nats
import pytest

from deploy.local.nats_server import NatsServer, password_settings
from services.matcher.main import create_app as matcher_app
from shared import subjects
from shared.broker import publish_dead_letter
from shared.dead_letters import dead_letters, replay
from tests.matcher_support import community, wait_projected
from tests.support import bearer, running

pytestmark = pytest.mark.nats


@pytest.fixture
def server(own_nats_server: NatsServer) -> NatsServer:
    return own_nats_server


def entraide(server: NatsServer, *args: str, password: bool = True) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDE_")}
    env["ENTRAIDE_NATS_URL"] = server.address
    if password:
        env["ENTRAIDE_OPERATOR_NATS_PASSWORD"] = server.passwords["operator"]
    done = subprocess.run(
        [sys.executable, "-m", "deploy.local.cli", *args],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


async def run(server: NatsServer, *args: str, password: bool = True) -> tuple[int, str]:
    return await asyncio.to_thread(entraide, server, *args, password=password)


async def stream_count(server: NatsServer, stream: str) -> int:
    nc = await nats.connect(server.url)
    try:
        return int((await nc.jetstream().stream_info(stream)).state.messages)
    finally:
        await nc.close()


async def test_dead_letters_are_listed_with_their_reason_and_replayed_exactly_once(
    server: NatsServer, make_settings: Any, tmp_path: Path
) -> None:
    settings = make_settings(
        nats_url=server.address, data_dir=tmp_path / "data", **password_settings(server.passwords)
    )
    hr = bearer(settings, "hr", "coordinator")
    first, second = community(2, "dlq", seed=5)
    async with running(matcher_app(settings)) as matcher:
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        # parked as the services park them: with the original subject, without it, junk
        await publish_dead_letter(js, "matcher", first.model_dump_json().encode(),
                                  "gave up after 12 deliveries: OperationalError('disk')",
                                  subjects.MEMBER_REGISTERED)  # fmt: skip
        await publish_dead_letter(js, "matcher", second.model_dump_json().encode(), "bug 42")
        await publish_dead_letter(js, "notifier", b"not json", "ValidationError: junk")
        parked = await dead_letters(js)
        assert [d.seq for d in parked] == [1, 2, 3]

        code, out = await run(server, "dlq", "list")
        assert code == 0 and "3 message(s)" in out, out
        assert "#1" in out and "entraide.member.registered" in out and "OperationalError" in out
        assert "bug 42" in out and "ValidationError: junk" in out
        code, out = await run(server, "dlq", "list", password=False)
        assert code != 0 and "uthorization" in out  # the broker refuses an anonymous operator

        code, out = await run(server, "dlq", "replay", "--id", "1")
        assert code == 0 and "#1  replayed -> entraide.member.registered" in out, out
        await wait_projected(matcher, hr, 1)
        code, out = await run(server, "dlq", "replay", "--all")
        assert "#2  replayed -> entraide.member.registered" in out, out  # from its type
        assert "#3  kept" in out and "no original subject" in out
        await wait_projected(matcher, hr, 2)

        code, out = await run(server, "dlq", "replay", "--all")  # again: nothing new
        assert "replayed" not in out and "#3  kept" in out, out
        code, out = await run(server, "dlq", "replay", "--id", "1")
        assert code == 1 and "introuvables" in out, out
        # the crash window (published, not yet deleted): the same letter once more
        assert [r.outcome for r in await replay(js, parked[:1])] == ["duplicate"]
        await nc.close()
        assert await stream_count(server, subjects.STREAM_MEMBERS) == 2  # each exactly once
        count = (await matcher.get("/members/count", headers=hr)).json()["members"]
        assert count == 2
    code, out = await run(server, "dlq", "list")
    assert "1 message(s)" in out and "#3" in out, out
