"""`entraide up` as a user runs it: ready within 20 s, nothing left behind after Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from deploy.local.nats_server import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.nats]


def _children_of(pid: int) -> set[int]:
    """All live descendants of ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _service_pid(service: str, candidates: set[int]) -> int:
    """The process among ``candidates`` running ``python -m services.<service>``."""
    for pid in candidates:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"services.{service}".encode() in argv:
            return pid
    raise AssertionError(f"no process runs services.{service}")


def _wait_ready(port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def test_entraide_up_is_ready_restarts_a_dead_service_and_leaves_nothing(tmp_path) -> None:
    ports = {s: free_port() for s in ("profiles", "matcher", "notifier", "portal")}
    env = dict(os.environ)
    env.update(
        ENTRAIDE_DATA_DIR=str(tmp_path),
        ENTRAIDE_NATS_PORT=str(free_port()),
        ENTRAIDE_NATS_HTTP_PORT="0",
        **{f"ENTRAIDE_{s.upper()}_PORT": str(p) for s, p in ports.items()},
    )
    env.pop("ENTRAIDE_NATS_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "deploy.local.cli", "up"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        # Ready means it printed its URLs and "Ctrl-C to stop" (the CLI gives up with an
        # error of its own if a service never becomes ready); how long that took is
        # not asserted here: a loaded machine takes longer, and speed belongs in bench/.
        assert any("Ctrl-C" in line for line in lines), "".join(lines)
        for service, port in ports.items():
            r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
            assert r.status_code == 200, (service, r.text)
            checks = {"database": True}  # the portal has no broker
            if service != "portal":
                checks["broker"] = True
            assert r.json()["checks"] == checks
        assert f"http://127.0.0.1:{ports['portal']}" in "".join(lines)  # it prints the portal
        children = _children_of(proc.pid)
        assert len(children) >= 5, children  # nats-server + three services + the portal
        matcher_pid = _service_pid("matcher", children)
        os.kill(matcher_pid, signal.SIGKILL)  # a service dies: the stack restarts it
        restarted = _wait_ready(ports["matcher"], 30)
        assert restarted, "the matcher was not restarted"
        assert proc.poll() is None, "the stack stopped with the matcher"
        children = _children_of(proc.pid)
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    assert "matcher s'est arrêté" in out and "matcher redémarré" in out, out
    time.sleep(0.2)
    assert not [pid for pid in children if _alive(pid)], "orphan processes after Ctrl-C"
