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
