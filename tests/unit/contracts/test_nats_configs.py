"""The shipped nats-server configurations are accepted by the real nats-server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from deploy.local.nats_server import nats_server_binary

CONFIGS = sorted((Path(__file__).resolve().parents[3] / "deploy" / "nats").glob("*.conf"))


@pytest.mark.parametrize("conf", CONFIGS, ids=lambda p: p.name)
def test_nats_server_accepts_the_configuration(conf: Path) -> None:
    result = subprocess.run(
        [nats_server_binary(), "-c", str(conf), "-t"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sync_interval" in conf.read_text()
