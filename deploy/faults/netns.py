"""Network namespaces for fault injection: each node behind its own veth on one bridge.

``Network.create(n)`` makes a bridge in the root namespace (198.18.0.254/24) and ``n``
namespaces, each joined by a veth pair and given 198.18.0.<i>/24 (198.18.0.0/15 is
reserved for network testing; these addresses exist only on this bridge and are never
routed out). A partition takes a node's host-side link down; :meth:`Network.heal` brings
every link up again and :meth:`Network.destroy` removes everything (call it in a
``finally``: the next run must not start partitioned). Needs root and ``ip``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Final

BRIDGE: Final = "entr-br0"
SUBNET: Final = "198.18.0"
HOST_ADDRESS: Final = f"{SUBNET}.254"


def unavailable() -> str:
    """Why namespaces cannot be made here ("" when they can)."""
    if os.geteuid() != 0:
        return "fault injection needs root (ip netns, veth, bridge)"
    if shutil.which("ip") is None:
        return "fault injection needs the `ip` command (iproute2)"
    return ""


def netem_unavailable() -> str:
    """Why ``tc netem`` delay/loss cannot be used here ("" when it can)."""
    if shutil.which("tc") is None:
        return "tc is not installed: delay and loss faults skipped"
    probe = subprocess.run(
        ["tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "0ms"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return f"tc netem is missing on this kernel ({probe.stderr.strip()}): delay/loss skipped"
    subprocess.run(["tc", "qdisc", "del", "dev", "lo", "root"], check=False)
    return ""


def ip(*args: str, netns: str = "") -> None:
    command = ["ip", "netns", "exec", netns, "ip", *args] if netns else ["ip", *args]
    subprocess.run(command, check=True, capture_output=True)


@dataclass
class Network:
    """The bridge and the namespaces of one fault run."""

    names: list[str]
    prefix: str = "entr"
    veths: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, count: int, prefix: str = "entr") -> Network:
        net = cls([f"{prefix}-n{i + 1}" for i in range(count)], prefix)
        net.destroy()  # leftovers of an interrupted run
        ip("link", "add", BRIDGE, "type", "bridge")
        ip("addr", "add", f"{HOST_ADDRESS}/24", "dev", BRIDGE)
        ip("link", "set", BRIDGE, "up")
        for i, name in enumerate(net.names, start=1):
            host_side, inner = f"{prefix}-v{i}", f"{prefix}-i{i}"
            ip("netns", "add", name)
            ip("link", "add", host_side, "type", "veth", "peer", "name", inner)
            ip("link", "set", inner, "netns", name)
            ip("link", "set", host_side, "master", BRIDGE)
            ip("link", "set", host_side, "up")
            ip("addr", "add", f"{net.address(i - 1)}/24", "dev", inner, netns=name)
            ip("link", "set", inner, "up", netns=name)
            ip("link", "set", "lo", "up", netns=name)
            net.veths[name] = host_side
        return net

    def address(self, index: int) -> str:
        return f"{SUBNET}.{index + 1}"

    def partition(self, name: str) -> None:
        """Cut namespace ``name`` off from everyone (the other nodes and the clients)."""
        ip("link", "set", self.veths[name], "down")

    def heal(self) -> None:
        for veth in self.veths.values():
            ip("link", "set", veth, "up")

    def destroy(self) -> None:
        for name in self.names:
            subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)
        for i in range(1, len(self.names) + 1):
            subprocess.run(
                ["ip", "link", "del", f"{self.prefix}-v{i}"], check=False, capture_output=True
            )
        subprocess.run(["ip", "link", "del", BRIDGE], check=False, capture_output=True)
