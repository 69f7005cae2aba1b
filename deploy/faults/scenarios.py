"""Fault scenarios on a 3-node cluster in network namespaces, under a profile-edit workload.

Each scenario starts a fresh cluster (one namespace per node, :mod:`deploy.faults.netns`),
runs the profiles service and the matcher against it (streams with 3 replicas), registers
members, keeps them editing their profiles while the fault is injected, ends the fault,
waits for the matcher's projection to catch up and checks the history
(:func:`deploy.faults.history.check`). Used by ``tests/faults`` (short schedule) and
``deploy/faults/run.py`` (repeated runs, the table of docs/RELIABILITY.md).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

from deploy.faults.history import (
    History,
    Verdict,
    check,
    consumer_backlog,
    consumer_leader,
    edit_until,
    register,
)
from deploy.faults.netns import Network
from deploy.local.cluster import ClusterNode, NatsCluster, stream_leader
from deploy.local.nats_server import free_port, password_settings
from services.matcher.main import create_app as matcher_app
from services.profiles.main import create_app as profiles_app
from shared.auth import mint_token
from shared.nats_access import OPERATOR
from shared.settings import Settings
from shared.subjects import STREAM_MEMBERS

#: A fault: injects itself; gives the node it hit and how to end it.
Fault = Callable[[NatsCluster, Network], Awaitable[tuple[ClusterNode, Callable[[], None]]]]


@dataclass
class Outcome:
    fault: str
    verdict: Verdict
    recovered_s: float
    #: whether the node hit led the matcher's durable consumer when the fault began
    hit_consumer_leader: bool = False


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            yield client


@asynccontextmanager
async def namespaced_cluster(data_dir: Path) -> AsyncIterator[tuple[NatsCluster, Network]]:
    net = Network.create(3)
    try:
        nodes = [
            ClusterNode(f"entraide-{i + 1}", net.address(i), 4222, 6222, netns=name)
            for i, name in enumerate(net.names)
        ]
        cluster = NatsCluster(data_dir / "nats", nodes)
        for node in nodes:
            cluster.start_node(node)
        try:
            await cluster.wait_jetstream(60)
            yield cluster, net
        finally:
            cluster.stop()
    finally:
        net.heal()
        net.destroy()


def settings_for(cluster: NatsCluster, data_dir: Path) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "data_dir": data_dir,
        "nats_url": cluster.address,
        "stream_replicas": 3,
        **{f"{s}_port": free_port() for s in ("profiles", "matcher", "notifier", "portal")},
        **password_settings(cluster.passwords),
    }
    return Settings(**values)  # type: ignore[arg-type]


async def leader(cluster: NatsCluster) -> ClusterNode:
    return cluster.node(await stream_leader(cluster.url_for(OPERATOR), STREAM_MEMBERS))


async def follower(cluster: NatsCluster) -> ClusterNode:
    lead = await leader(cluster)
    return next(n for n in cluster.nodes if n is not lead)


async def kill_leader(cluster: NatsCluster, net: Network) -> tuple[ClusterNode, Callable[[], None]]:
    node = await leader(cluster)
    cluster.kill(node)
    return node, lambda: cluster.start_node(node)


async def kill_follower(
    cluster: NatsCluster, net: Network
) -> tuple[ClusterNode, Callable[[], None]]:
    node = await follower(cluster)
    cluster.kill(node)
    return node, lambda: cluster.start_node(node)


async def partition_follower(
    cluster: NatsCluster, net: Network
) -> tuple[ClusterNode, Callable[[], None]]:
    node = await follower(cluster)
    net.partition(node.netns)
    return node, net.heal


async def partition_leader(
    cluster: NatsCluster, net: Network
) -> tuple[ClusterNode, Callable[[], None]]:
    node = await leader(cluster)
    net.partition(node.netns)
    return node, net.heal


async def pause_node(cluster: NatsCluster, net: Network) -> tuple[ClusterNode, Callable[[], None]]:
    node = await leader(cluster)
    cluster.pause(node)
    return node, lambda: cluster.resume(node)


FAULTS: dict[str, Fault] = {
    "kill -9 stream leader, restart": kill_leader,
    "kill -9 follower, restart": kill_follower,
    "partition a follower": partition_follower,
    "partition the leader": partition_leader,
    "SIGSTOP/SIGCONT the leader": pause_node,
}


async def run_scenario(
    name: str, data_dir: Path, members: int = 100, fault_s: float = 8.0, settle_s: float = 90.0
) -> Outcome:
    """Run fault ``name`` once under the workload; the verdict and the time to recover
    (from the fault's end until every acknowledged write is in the projection and the
    matcher's consumer has nothing pending)."""
    async with namespaced_cluster(data_dir) as (cluster, net):
        settings = settings_for(cluster, data_dir)
        hr = {"Authorization": f"Bearer {mint_token(settings, 'hr-faults', ('coordinator',))}"}
        history = History()
        async with (
            running(profiles_app(settings)) as profiles,
            running(matcher_app(settings)) as matcher,
        ):
            ids = await register(profiles, hr, history, members, data_dir.name)
            stop = asyncio.Event()
            editing = asyncio.create_task(edit_until(profiles, hr, history, ids, stop.is_set))
            await asyncio.sleep(2)
            consumer = await consumer_leader(cluster.url_for(OPERATOR))
            target, end_fault = await FAULTS[name](cluster, net)
            await asyncio.sleep(fault_s)
            end_fault()
            ended = time.monotonic()
            await asyncio.sleep(2)
            stop.set()
            await editing

            async def projected(member_id: str) -> int:
                r = await matcher.get(f"/members/{member_id}", headers=hr)
                return int(r.json()["version"]) if r.status_code == 200 else 0

            async def caught_up() -> bool:
                for m, versions in history.acked.items():
                    if await projected(m) < max(versions):
                        return False
                return await consumer_backlog(cluster.url_for(OPERATOR)) == 0

            deadline = time.monotonic() + settle_s
            while not await caught_up() and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            recovered = time.monotonic() - ended
            verdict = await check(history, cluster.url_for(OPERATOR), projected)
        return Outcome(name, verdict, recovered, target.name == consumer)
