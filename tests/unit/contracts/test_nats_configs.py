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


def test_the_shipped_nats_users_are_those_the_code_defines() -> None:
    from deploy.local.operator import NATS_USERS, nats_users_text

    shipped = (Path(__file__).resolve().parents[3] / NATS_USERS).read_text()
    assert shipped == nats_users_text(from_settings=False), (
        "deploy/nats/users.inc is stale: run `entraide nats-users`"
    )


@pytest.mark.parametrize("conf", CONFIGS, ids=lambda p: p.name)
def test_every_configuration_is_closed_and_keeps_monitoring_on_loopback(conf: Path) -> None:
    text = conf.read_text()
    assert "include ./users.inc" in text
    assert "no_auth_user" not in text
    http = [line.split()[1] for line in text.splitlines() if line.startswith("http:")]
    assert all(h.startswith("127.0.0.1:") for h in http), http


def test_the_local_server_configuration_is_closed_and_private(tmp_path: Path) -> None:
    from deploy.local.nats_server import NatsServer

    server = NatsServer(tmp_path, port=4999, http_port=8999)
    conf = server.write_config()
    text = conf.read_text()
    assert "http: 127.0.0.1:8999" in text and "listen: 127.0.0.1:4999" in text
    for user, password in server.passwords.items():
        assert f'"user": "{user}"' in text and password in text
    assert conf.stat().st_mode & 0o077 == 0  # passwords inside: the owner's only
    assert (tmp_path / "credentials.json").stat().st_mode & 0o077 == 0
    assert NatsServer(tmp_path, port=4999).passwords == server.passwords  # kept, not renewed
    result = subprocess.run(
        [nats_server_binary(), "-c", str(conf), "-t"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
