"""The cluster's node configuration, rendered from deploy/nats/cluster/node.conf.template."""

from __future__ import annotations

from pathlib import Path

from deploy.faults.announcements import Announcements
from deploy.faults.history import Verdict
from deploy.faults.run import table
from deploy.faults.scenarios import Outcome
from deploy.local.cluster import ClusterNode, NatsCluster


def test_each_node_routes_to_the_two_others_with_the_route_password(tmp_path: Path) -> None:
    cluster = NatsCluster.on_loopback(tmp_path, first_port=14222)
    conf = cluster.config(cluster.nodes[0]).read_text()
    assert "listen: 127.0.0.1:14222" in conf
    assert f"route:{cluster.route_password}@127.0.0.1:14323" in conf
    assert f"route:{cluster.route_password}@127.0.0.1:14324" in conf
    assert "127.0.0.1:14322" not in conf.split("routes:")[1]  # not to itself
    assert cluster.address == "nats://127.0.0.1:14222,nats://127.0.0.1:14223,nats://127.0.0.1:14224"


def test_the_nodes_are_closed_and_their_configuration_is_private(tmp_path: Path) -> None:
    cluster = NatsCluster.on_loopback(tmp_path, first_port=14222)
    path = cluster.config(cluster.nodes[1])
    conf = path.read_text()
    assert "authorization {" in conf and '"user": "matcher"' in conf
    assert cluster.passwords["matcher"] in conf
    assert "CHANGE-ME" not in conf and "$" not in conf.split("authorization")[0]
    assert path.stat().st_mode & 0o077 == 0


def test_a_node_in_a_namespace_listens_on_every_interface_of_its_namespace(
    tmp_path: Path,
) -> None:
    nodes = [ClusterNode(f"n{i}", f"198.18.0.{i}", 4222, 6222, netns=f"ns{i}") for i in (1, 2, 3)]
    conf = NatsCluster(tmp_path, nodes).config(nodes[2]).read_text()
    assert "listen: 0.0.0.0:4222" in conf
    assert "@198.18.0.1:6222" in conf and "@198.18.0.2:6222" in conf


def test_the_reliability_table_sums_the_runs_of_each_fault() -> None:
    ok = Verdict(acknowledged=300, lost=[], duplicated=[], stale=[], stuck=0)
    ok.announcements = Announcements(expected=80)
    bad = Verdict(acknowledged=200, lost=[("m", 3)], duplicated=[], stale=["m"], stuck=1)
    bad.announcements = Announcements(60, [("m", "g", "email")], [("n", "g", "inapp")], 2)
    bad.stuck_rounds = ["r"]
    assert ok.ok and not bad.ok
    rows = table([Outcome("kill", ok, 2.0), Outcome("kill", bad, 4.0)]).splitlines()
    assert rows[2] == "| kill | 2 | 500 | 1 | 0 | 1 | 1 | 140 | 1 | 1 | 2 | 1 | 4.0 (median 3.0) |"


def test_each_cluster_replica_gets_the_three_nodes_its_own_password_and_its_own_port(
    tmp_path: Path,
) -> None:
    from deploy.local.cluster_stack import ClusterStack
    from deploy.local.postgres import Postgres
    from shared.settings import Settings

    settings = Settings(data_dir=tmp_path, nats_port=14222, matcher_port=18102)  # type: ignore[call-arg]
    stack = ClusterStack(settings)
    stack.cluster = NatsCluster.on_loopback(tmp_path / "nats-cluster", 14222)
    stack.postgres = Postgres(tmp_path / "pg", 15222)
    env = stack.env("matcher/2")
    assert env["ENTRAIDE_NATS_URL"] == stack.cluster.address
    assert env["ENTRAIDE_STREAM_REPLICAS"] == "3"
    assert env["ENTRAIDE_MATCHER_NATS_PASSWORD"] == stack.cluster.passwords["matcher"]
    assert "ENTRAIDE_PROFILES_NATS_PASSWORD" not in env
    assert "ENTRAIDE_OPERATOR_NATS_PASSWORD" not in env
    assert env["ENTRAIDE_MATCHER_PORT"] == "18112"
    assert env["ENTRAIDE_MATCHER_DB_URL"] == "postgresql+psycopg://postgres@127.0.0.1:15222/matcher"
    assert stack.url("matcher") == "http://127.0.0.1:18102"
