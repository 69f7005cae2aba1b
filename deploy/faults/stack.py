"""The whole cluster shape in network namespaces, where any part can be hit.

:class:`FaultStack` is ``entraide up --cluster``'s :class:`~deploy.local.cluster_stack.ClusterStack`
with every process in its own namespace on the bridge of :mod:`deploy.faults.netns`:
3 nats-server nodes (198.18.0.1–3), 2 replicas of profiles, matcher and notifier
(198.18.0.4–9), each its own process connected to the three nodes with its own NATS
user, all on one PostgreSQL (Debian's package, started by :mod:`deploy.local.postgres`)
and the SMTP sink (:mod:`deploy.local.smtp_sink`) as the notifier's relay; those two
listen on the bridge's address in the root namespace (198.18.0.254). The portal is not
run (nothing of the fault schedule goes through it).

Every replica calls profiles replica 1 for contacts and labels (there is no load
balancer here), so the replica faults hit profiles replica 2, not 1.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from deploy.faults.netns import HOST_ADDRESS, SUBNET, Network
from deploy.local.cluster import ClusterNode, NatsCluster
from deploy.local.cluster_stack import ClusterStack, replica_key
from deploy.local.nats_server import free_port
from deploy.local.postgres import Postgres
from deploy.local.smtp_sink import SmtpSink
from services import matcher, notifier, profiles

NODES: Final = 3
SERVICES: Final = (profiles.SERVICE, matcher.SERVICE, notifier.SERVICE)
#: Settings passed on to every replica (the notifier's retries, the rounds' lease).
PASSED_ON: Final = ("retry_base_s", "retry_cap_s", "retry_horizon_s", "round_lease_s")


@dataclass
class FaultStack(ClusterStack):
    net: Network | None = None
    sink: SmtpSink | None = None
    services: tuple[str, ...] = SERVICES
    _postgres_port: int = 0
    _postgres_dir: Path | None = None

    def namespace(self, key: str) -> str:
        assert self.net is not None
        return self.net.names[NODES + self.keys.index(key)]

    def replica_host(self, key: str) -> str:
        assert self.net is not None
        return self.net.address(NODES + self.keys.index(key))

    def command(self, key: str) -> list[str]:
        return ["ip", "netns", "exec", self.namespace(key), *super().command(key)]

    def check_ports(self) -> None:
        """Nothing to check: every process has its own address."""

    @property
    def postgres_port(self) -> int:
        return self._postgres_port

    def start(self, timeout: float = 120.0) -> None:
        self.keys = self.replica_keys()
        self._postgres_port = free_port()
        self.net = Network.create(NODES + len(self.keys))
        self.sink = SmtpSink(host=HOST_ADDRESS).start()
        try:
            super().start(timeout)
        except BaseException:
            self.stop()
            raise

    def start_cluster(self) -> NatsCluster:
        assert self.net is not None
        nodes = [
            ClusterNode(f"entraide-{i + 1}", self.net.address(i), 4222, 6222, netns=name)
            for i, name in enumerate(self.net.names[:NODES])
        ]
        cluster = NatsCluster(self.data_dir / "nats", nodes)
        for node in nodes:
            cluster.start_node(node)
        try:
            asyncio.run(cluster.wait_jetstream(60))
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def start_postgres(self) -> Postgres:
        # Its own folder under /tmp: the postgres user cannot enter a test's private tmp_path.
        self._postgres_dir = Path(tempfile.mkdtemp(prefix="entraide-fault-pg-"))
        os.chmod(self._postgres_dir, 0o711)
        hosts = (HOST_ADDRESS, "127.0.0.1")
        return Postgres(
            self._postgres_dir / "data", self.postgres_port, hosts, trusted=f"{SUBNET}.0/24"
        ).start()

    def env(self, service: str = "") -> dict[str, str]:
        env = super().env(service)
        assert self.sink is not None
        env["ENTRAIDE_SMTP_URL"] = self.sink.url
        env["ENTRAIDE_PROFILES_URL"] = self.url(replica_key(profiles.SERVICE, 1))
        for name in PASSED_ON:
            env[f"ENTRAIDE_{name.upper()}"] = str(getattr(self.settings, name))
        return env

    def kill(self, key: str) -> None:
        """kill -9 replica ``key``, as a crash would."""
        proc = self.processes[key]
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    def restart(self, key: str) -> None:
        self._spawn(key)

    def stop(self, grace: float = 10.0) -> None:
        try:
            super().stop(grace)
        finally:
            if self.sink is not None:
                self.sink.stop()
                self.sink = None
            if self.net is not None:
                self.net.heal()
                self.net.destroy()
                self.net = None
            if self._postgres_dir is not None:
                shutil.rmtree(self._postgres_dir, ignore_errors=True)
                self._postgres_dir = None
