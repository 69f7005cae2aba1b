"""A 3-node nats-server cluster (JetStream, streams with 3 replicas) on one machine.

Each node is a real ``nats-server`` configured from ``deploy/nats/cluster/node.conf.template``:
closed like the single node (one user per service, :mod:`shared.nats_access`), the
nodes authenticating each other with a route password, every write fsynced. A node
listens either on 127.0.0.1 with its own ports (``entraide up --cluster``) or on its
own address inside a network namespace (the fault suite, :mod:`deploy.faults.netns`),
where it can be killed, paused and partitioned away.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import string
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import nats

from deploy.local.nats_server import die_with_parent, local_passwords, nats_server_binary
from services import broker_access
from shared.nats_access import OPERATOR, authorization_block

TEMPLATE = Path(__file__).resolve().parents[1] / "nats" / "cluster" / "node.conf.template"
ROUTE_PORT_OFFSET = 100


@dataclass
class ClusterNode:
    """One node: its name, where it listens, and (optionally) its network namespace."""

    name: str
    host: str
    port: int
    route_port: int
    netns: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def address(self) -> str:
        return f"nats://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@dataclass
class NatsCluster:
    """Three (or more) nodes sharing one folder for configurations, logs and JetStream."""

    data_dir: Path
    nodes: list[ClusterNode]
    passwords: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.passwords:
            self.passwords = local_passwords(self.data_dir)
        route_file = self.data_dir / "route-password"
        if not route_file.exists():
            fd = os.open(route_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_urlsafe(24))
        self.route_password = route_file.read_text().strip()

    @classmethod
    def on_loopback(cls, data_dir: Path, first_port: int, size: int = 3) -> NatsCluster:
        """Nodes on 127.0.0.1, client ports ``first_port`` ... and route ports +100."""
        nodes = [
            ClusterNode(
                f"entraide-{i + 1}", "127.0.0.1", first_port + i, first_port + i + ROUTE_PORT_OFFSET
            )
            for i in range(size)
        ]
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(data_dir, nodes)

    @property
    def address(self) -> str:
        """The client URLs of every node, comma-separated (``ENTRAIDE_NATS_URL``)."""
        return ",".join(node.address for node in self.nodes)

    def url_for(self, user: str) -> list[str]:
        """Every node's URL with ``user``'s credentials (tools and tests)."""
        pw = self.passwords[user]
        return [f"nats://{user}:{pw}@{n.host}:{n.port}" for n in self.nodes]

    def node(self, name: str) -> ClusterNode:
        return next(n for n in self.nodes if n.name == name)

    def config(self, node: ClusterNode) -> Path:
        folder = self.data_dir / node.name
        folder.mkdir(parents=True, exist_ok=True)
        routes = "\n".join(
            f"    nats-route://route:{self.route_password}@{n.host}:{n.route_port}"
            for n in self.nodes
            if n is not node
        )
        text = string.Template(TEMPLATE.read_text()).substitute(
            name=node.name,
            host="0.0.0.0" if node.netns else node.host,
            port=node.port,
            route_port=node.route_port,
            http_line="",
            store_dir=(folder / "jetstream").resolve(),
            route_password=self.route_password,
            routes=routes,
            authorization=authorization_block(broker_access(), self.passwords),
        )
        conf = folder / "nats-server.conf"
        fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds passwords
        with os.fdopen(fd, "w") as out:
            out.write(text)
        return conf

    def start_node(self, node: ClusterNode) -> None:
        command = [nats_server_binary(), "-c", str(self.config(node))]
        if node.netns:
            command = ["ip", "netns", "exec", node.netns, *command]  # ip execs the server
        with open(self.data_dir / node.name / "nats-server.log", "ab") as log:
            node.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )

    def start(self, timeout: float = 30.0) -> NatsCluster:
        for node in self.nodes:
            self.start_node(node)
        try:
            asyncio.run(self.wait_jetstream(timeout))
        except BaseException:
            self.stop()
            raise
        return self

    async def wait_jetstream(self, timeout: float = 30.0) -> None:
        """Wait until the cluster has a JetStream meta leader (account info answers)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            try:
                nc = await nats.connect(
                    self.url_for(OPERATOR), connect_timeout=1, allow_reconnect=False, error_cb=quiet
                )
                try:
                    await nc.jetstream(timeout=2).account_info()
                    return
                finally:
                    await nc.close()
            except Exception as exc:  # not ready yet: any failure
                if loop.time() > deadline:
                    raise TimeoutError(f"no JetStream cluster after {timeout} s: {exc}") from exc
                await asyncio.sleep(0.5)

    def kill(self, node: ClusterNode) -> None:
        """kill -9, as a crash would."""
        if node.process is not None and node.process.poll() is None:
            node.process.kill()
            node.process.wait()

    def pause(self, node: ClusterNode) -> None:
        if node.process is not None:
            os.kill(node.process.pid, signal.SIGSTOP)

    def resume(self, node: ClusterNode) -> None:
        if node.process is not None:
            os.kill(node.process.pid, signal.SIGCONT)

    def stop(self, timeout: float = 10.0) -> None:
        for node in self.nodes:
            proc, node.process = node.process, None
            if proc is None or proc.poll() is not None:
                continue
            os.kill(proc.pid, signal.SIGCONT)  # a paused node must see SIGTERM
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


async def quiet(_exc: Exception) -> None:
    """nats-py error callback while nodes are still starting: say nothing."""


async def stream_leader(urls: list[str], stream: str) -> str:
    """The server name of ``stream``'s current leader (as the operator sees it)."""
    nc = await nats.connect(urls, connect_timeout=2, max_reconnect_attempts=2)
    try:
        info = await nc.jetstream(timeout=5).stream_info(stream)
        cluster = info.cluster
        if cluster is None or not cluster.leader:
            raise RuntimeError(f"{stream} has no leader")
        return str(cluster.leader)
    finally:
        await nc.close()
