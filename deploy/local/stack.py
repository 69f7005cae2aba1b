"""The local stack: nats-server plus the four services as separate processes.

``Stack.start()`` launches nats-server on 127.0.0.1 (JetStream in the data folder),
then profiles, matcher, notifier and the portal, and waits until every ``/readyz`` answers 200.
``Stack.supervise()``, called in a loop, restarts a service that died, with an
exponential backoff (:func:`restart_delay`), and says so on standard error: one
crashing service does not take the stack down. ``Stack.stop()`` stops the services
(SIGTERM, then SIGKILL after a grace period) and then nats-server, so no process is
left behind. Children also get SIGTERM if this supervisor dies (Linux
``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import httpx

from deploy.local.nats_server import NatsServer, die_with_parent, ensure_free, local_passwords
from services import broker_access, matcher, notifier, portal, profiles
from shared.nats_access import users
from shared.settings import Settings

#: The services the stack runs, in start order, each with the setting giving its port.
PORTS: Final[dict[str, Callable[[Settings], int]]] = {
    profiles.SERVICE: profiles.port,
    matcher.SERVICE: matcher.port,
    notifier.SERVICE: notifier.port,
    portal.SERVICE: portal.port,
}
SERVICES: Final = tuple(PORTS)
#: A service that stayed up this long is healthy again: its backoff starts over.
HEALTHY_AFTER_S: Final = 60.0


def restart_delay(attempt: int, first: float = 1.0, cap: float = 30.0) -> float:
    """Seconds to wait before restart number ``attempt`` (1, 2, 4 ... at most ``cap``).

    >>> [restart_delay(k) for k in (1, 2, 3, 6, 7)]
    [1.0, 2.0, 4.0, 30.0, 30.0]
    """
    return float(min(cap, first * 2 ** max(0, attempt - 1)))


@dataclass
class Restarts:
    """What the supervisor knows of one service's crashes."""

    attempts: int = 0
    started_at: float = 0.0
    due_at: float | None = None


def port_variable(service: str) -> str:
    """The environment variable that sets ``service``'s port."""
    return f"ENTRAIDE_{service.upper()}_PORT"


def service_url(settings: Settings, service: str) -> str:
    """Where ``service`` answers HTTP on this machine."""
    return f"http://{settings.host}:{PORTS[service](settings)}"


@dataclass
class Stack:
    settings: Settings
    nats: NatsServer | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    restarts: dict[str, Restarts] = field(default_factory=dict)
    say: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr))

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir.resolve()

    def url(self, service: str) -> str:
        return service_url(self.settings, service)

    def env(self, service: str = "") -> dict[str, str]:
        """The environment of ``service``'s process: the stack's settings, and of the
        local broker's passwords only its own."""
        env = dict(os.environ)
        if not self.settings.nats_url:
            names = users(broker_access())
            for user in names:
                env.pop(f"ENTRAIDE_{user.upper()}_NATS_PASSWORD", None)
            if service in names:
                passwords = local_passwords(self.nats_folder)
                env[f"ENTRAIDE_{service.upper()}_NATS_PASSWORD"] = passwords[service]
        env["ENTRAIDE_DATA_DIR"] = str(self.data_dir)
        env["ENTRAIDE_NATS_URL"] = self.settings.broker_url
        env["ENTRAIDE_HOST"] = self.settings.host
        env["ENTRAIDE_ENV"] = str(self.settings.env)
        for service, port in PORTS.items():
            env[port_variable(service)] = str(port(self.settings))
        return env

    @property
    def nats_folder(self) -> Path:
        """The local nats-server's folder (configuration, passwords, JetStream)."""
        return self.data_dir / "nats"

    def start(self, timeout: float = 30.0) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        logs = self.data_dir / "logs"
        logs.mkdir(exist_ok=True)
        for service, port in PORTS.items():
            ensure_free(port(self.settings), service, port_variable(service))
        if not self.settings.nats_url and self.settings.nats_http_port:
            ensure_free(
                self.settings.nats_http_port,
                "supervision nats-server",
                "ENTRAIDE_NATS_HTTP_PORT",
            )
        if not self.settings.nats_url:
            self.nats = NatsServer(
                self.nats_folder,
                port=self.settings.nats_port,
                http_port=self.settings.nats_http_port,
            ).start()
        for service in SERVICES:
            self._spawn(service)
        try:
            self.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, service: str) -> None:
        with open(self.data_dir / "logs" / f"{service}.log", "ab") as log:
            self.processes[service] = subprocess.Popen(
                [sys.executable, "-m", f"services.{service}"],
                env=self.env(service),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        self.restarts.setdefault(service, Restarts()).started_at = time.monotonic()

    def supervise(self) -> None:
        """Restart the services that died, each after its backoff delay."""
        now = time.monotonic()
        for service, proc in list(self.processes.items()):
            state = self.restarts.setdefault(service, Restarts(started_at=now))
            if proc.poll() is None:
                if state.attempts and now - state.started_at > HEALTHY_AFTER_S:
                    state.attempts = 0
                continue
            if state.due_at is None:
                state.attempts += 1
                delay = restart_delay(state.attempts)
                state.due_at = now + delay
                self.say(
                    f"{service} s'est arrêté (code {proc.returncode}) : redémarrage dans "
                    f"{delay:.0f} s (tentative {state.attempts}) ; journal : "
                    f"{self.data_dir / 'logs' / (service + '.log')}"
                )
            elif now >= state.due_at:
                state.due_at = None
                self._spawn(service)
                self.say(f"{service} redémarré (pid {self.processes[service].pid}).")

    def wait_ready(self, timeout: float) -> None:
        self.wait_keys(list(SERVICES), timeout)

    def wait_keys(self, keys: list[str], timeout: float) -> None:
        """Wait until each process named in ``keys`` answers ``/readyz`` with 200; one that
        exits meanwhile, or ``timeout`` seconds, is an error naming the log folder."""
        deadline = time.monotonic() + timeout
        pending = set(keys)
        with httpx.Client(timeout=1.0) as client:
            while pending:
                for key in sorted(pending):
                    proc = self.processes[key]
                    if proc.poll() is not None:
                        raise RuntimeError(
                            f"{key} exited with code {proc.returncode}; "
                            f"see {self.data_dir / 'logs' / (key + '.log')}"
                        )
                    try:
                        if client.get(self.url(key) + "/readyz").status_code == 200:
                            pending.discard(key)
                    except httpx.HTTPError:
                        pass
                if pending and time.monotonic() > deadline:
                    raise TimeoutError(f"not ready after {timeout} s: {sorted(pending)}")
                if pending:
                    time.sleep(0.1)

    def stop(self, grace: float = 10.0) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for proc in self.processes.values():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.processes.clear()
        if self.nats is not None:
            self.nats.stop()
            self.nats = None

    def pids(self) -> list[int]:
        pids = [p.pid for p in self.processes.values()]
        if self.nats is not None and self.nats.process is not None:
            pids.append(self.nats.process.pid)
        return pids
