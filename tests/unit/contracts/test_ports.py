"""A taken port is refused with a message that names the setting to change."""

from __future__ import annotations

import socket

import pytest

from deploy.local.nats_server import NatsServer, PortInUse, free_port


def test_nats_server_refuses_a_port_already_in_use(tmp_path) -> None:
    port = free_port()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(PortInUse, match="ENTRAIDE_NATS_PORT"):
            NatsServer(tmp_path, port=port).start()


def test_a_busy_monitoring_port_is_refused_before_anything_starts(tmp_path) -> None:
    from deploy.local.stack import Stack
    from shared.settings import Settings

    port = free_port()
    settings = Settings(
        data_dir=tmp_path,
        nats_url="",
        nats_port=free_port(),
        nats_http_port=port,
        profiles_port=free_port(),
        matcher_port=free_port(),
        notifier_port=free_port(),
        portal_port=free_port(),
    )
    stack = Stack(settings)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        with pytest.raises(PortInUse, match="ENTRAIDE_NATS_HTTP_PORT"):
            stack.start()
    assert stack.nats is None and not stack.processes


def test_a_crashing_service_is_restarted_later_and_later() -> None:
    from deploy.local.stack import restart_delay

    delays = [restart_delay(k) for k in range(1, 9)]
    assert delays[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(delays) == 30.0 and delays == sorted(delays)
