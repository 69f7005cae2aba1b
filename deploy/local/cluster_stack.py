"""``entraide up --cluster``: 3 nats-server nodes, PostgreSQL, 2 replicas of each service.

On one machine, all on 127.0.0.1: the cluster of :mod:`deploy.local.cluster` (client
ports ``ENTRAIDE_NATS_PORT`` .. +2, streams with 3 replicas), a private PostgreSQL
(:mod:`deploy.local.postgres`, port ``ENTRAIDE_NATS_PORT`` + 1000 unless
``ENTRAIDE_CLUSTER_POSTGRES_PORT`` says otherwise) holding one database per service,
and two processes per service: replica 1 on the service's port, replica 2 on that port
+ 10. Every replica connects with the three node URLs and its own NATS user. Replica 1
of every service starts first (it runs the migrations), then the second ones. The
supervisor of :class:`deploy.local.stack.Stack` restarts any replica that dies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Final

from deploy.local.cluster import NatsCluster
from deploy.local.nats_server import die_with_parent, ensure_free
from deploy.local.postgres import Postgres
from deploy.local.stack import PORTS, SERVICES, Restarts, Stack, port_variable
from services import broker_access
from shared.nats_access import users

REPLICAS: Final = 2
REPLICA_PORT_STEP: Final = 10


def replica_key(service: str, replica: int) -> str:
    return f"{service}/{replica}"


@dataclass
class ClusterStack(Stack):
    cluster: NatsCluster | None = None
    postgres: Postgres | None = None
    keys: list[str] = field(default_factory=list)
    #: The services run as replicas (all of them for ``entraide up --cluster``).
    services: tuple[str, ...] = SERVICES

    def replica_port(self, key: str) -> int:
        service, replica = key.split("/")
        return PORTS[service](self.settings) + REPLICA_PORT_STEP * (int(replica) - 1)

    def replica_host(self, key: str) -> str:
        """The address replica ``key`` listens on."""
        return self.settings.host

    def url(self, service: str) -> str:
        key = service if "/" in service else replica_key(service, 1)
        return f"http://{self.replica_host(key)}:{self.replica_port(key)}"

    def env(self, service: str = "") -> dict[str, str]:
        name = service.split("/")[0]
        env = super().env(name)
        assert self.cluster is not None and self.postgres is not None
        for user in users(broker_access()):
            env.pop(f"ENTRAIDE_{user.upper()}_NATS_PASSWORD", None)
        if name in self.cluster.passwords:
            env[f"ENTRAIDE_{name.upper()}_NATS_PASSWORD"] = self.cluster.passwords[name]
        env["ENTRAIDE_NATS_URL"] = self.cluster.address
        env["ENTRAIDE_STREAM_REPLICAS"] = "3"
        for other in SERVICES:
            env[f"ENTRAIDE_{other.upper()}_DB_URL"] = self.postgres.url(other)
        if "/" in service:
            env[port_variable(name)] = str(self.replica_port(service))
            env["ENTRAIDE_HOST"] = self.replica_host(service)
        return env

    @property
    def postgres_port(self) -> int:
        return int(os.environ.get("ENTRAIDE_CLUSTER_POSTGRES_PORT", self.settings.nats_port + 1000))

    def start(self, timeout: float = 60.0) -> None:
        (self.data_dir / "logs").mkdir(parents=True, exist_ok=True)
        self.keys = self.replica_keys()
        self.check_ports()
        self.cluster = self.start_cluster()
        try:
            self.postgres = self.start_postgres()
            for replica in range(1, REPLICAS + 1):
                batch = [k for k in self.keys if k.endswith(f"/{replica}")]
                for key in batch:
                    self._spawn(key)
                self.wait_keys(batch, timeout)
        except BaseException:
            self.stop()
            raise

    def replica_keys(self) -> list[str]:
        """Every replica, replica 1 of each service first (it runs the migrations)."""
        return [replica_key(s, r) for r in range(1, REPLICAS + 1) for s in self.services]

    def check_ports(self) -> None:
        """Refuse to start over ports already taken on 127.0.0.1 (naming the variable)."""
        for key in self.keys:
            ensure_free(self.replica_port(key), key, port_variable(key.split("/")[0]))
        for i in range(3):
            ensure_free(self.settings.nats_port + i, f"nats-server {i + 1}", "ENTRAIDE_NATS_PORT")
        ensure_free(self.postgres_port, "postgresql", "ENTRAIDE_CLUSTER_POSTGRES_PORT")

    def start_cluster(self) -> NatsCluster:
        return NatsCluster.on_loopback(
            self.data_dir / "nats-cluster", self.settings.nats_port
        ).start()

    def start_postgres(self) -> Postgres:
        return Postgres(self.data_dir / "postgres", self.postgres_port).start()

    def command(self, key: str) -> list[str]:
        """The command line of replica ``key`` (the fault suite runs it in a namespace)."""
        return [sys.executable, "-m", f"services.{key.split('/')[0]}"]

    def _spawn(self, service: str) -> None:
        name, replica = service.split("/")
        with open(self.data_dir / "logs" / f"{name}-{replica}.log", "ab") as log:
            self.processes[service] = subprocess.Popen(
                self.command(service),
                env=self.env(service),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        self.restarts.setdefault(service, Restarts()).started_at = time.monotonic()

    def stop(self, grace: float = 10.0) -> None:
        super().stop(grace)
        if self.cluster is not None:
            self.cluster.stop()
            self.cluster = None
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None
