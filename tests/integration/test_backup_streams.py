"""A stream copied by `entraide backup` comes back with its messages, subjects, headers
and configuration; a restore never writes into a stream that already holds messages."""

from __future__ import annotations

import uuid
from pathlib import Path

import nats
import pytest
from nats.js.api import StreamConfig

from deploy.local.backup import BackupError, backup_stream, restore_stream

pytestmark = pytest.mark.nats


async def test_a_stream_is_restored_in_order_with_its_headers_and_configuration(
    nats_server, tmp_path: Path
) -> None:
    name = f"BACKUP_{uuid.uuid4().hex[:8].upper()}"
    subject = f"backup.{name.lower()}"
    nc = await nats.connect(nats_server.url)
    js = nc.jetstream()
    try:
        await js.add_stream(StreamConfig(name=name, subjects=[f"{subject}.>"], max_age=3600))
        for i in range(1200):  # more than one fetch of the copy
            headers = {"Nats-Msg-Id": f"m{i}", "Entraide-Reason": f"r{i}"}
            await js.publish(f"{subject}.{i % 3}", f"body {i}".encode(), headers=headers)
        assert await backup_stream(js, name, tmp_path) == 1200
        assert not (await js.consumers_info(name)), "the copy left a consumer behind"

        with pytest.raises(BackupError, match="already holds 1200 messages"):
            await restore_stream(js, tmp_path / f"{name}.jsonl")

        await js.delete_stream(name)
        assert await restore_stream(js, tmp_path / f"{name}.jsonl") == 1200
        info = await js.stream_info(name)
        assert info.state.messages == 1200
        assert info.config.subjects == [f"{subject}.>"] and info.config.max_age == 3600
        for seq in (1, 600, 1200):
            msg = await js.get_msg(name, seq)
            i = seq - 1
            assert msg.subject == f"{subject}.{i % 3}" and msg.data == f"body {i}".encode()
            assert msg.headers is not None and msg.headers["Entraide-Reason"] == f"r{i}"
            assert msg.headers["Nats-Msg-Id"] == f"m{i}"
    finally:
        await nc.close()
