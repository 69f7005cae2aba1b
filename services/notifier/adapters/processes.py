"""The notifier's other dispatcher processes, as operating-system processes.

The composition root (:mod:`services.notifier.main`) starts ``ENTRAIDE_NOTIFIER_PROCESSES
- 1`` of them beside the main process (see there why). Each is ``python -m
services.notifier dispatcher <main pid>`` with its job (the settings, pickled: tests and
benchmarks build settings in-process) on its standard input, gets SIGTERM when the main
process dies (Linux ``PR_SET_PDEATHSIG``; the service image has no ``deploy`` package to
share that helper with) and is stopped by SIGTERM, then SIGKILL after a grace period.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import pickle
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

#: ``python -m services.notifier dispatcher <pid>`` runs one of these processes.
COMMAND = "dispatcher"


@dataclass
class Children:
    """The dispatcher processes started beside the main one."""

    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, count: int, job: Any) -> None:
        data = pickle.dumps(job)
        for _ in range(count):
            child = subprocess.Popen(
                [sys.executable, "-m", "services.notifier", COMMAND, str(os.getpid())],
                stdin=subprocess.PIPE,
            )
            assert child.stdin is not None
            child.stdin.write(data)
            child.stdin.close()
            self.processes.append(child)

    def stop(self, grace_s: float = 15.0) -> None:
        """SIGTERM: each finishes its scan in progress; SIGKILL after ``grace_s``."""
        for child in self.processes:
            if child.poll() is None:
                child.terminate()
        for child in self.processes:
            try:
                child.wait(grace_s)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.processes.clear()


def job_of_parent(argv: list[str]) -> Any:
    """In a child: die with the main process (``argv[0]``, its pid), read the job."""
    parent = int(argv[0])
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before prctl: now
        os.kill(os.getpid(), signal.SIGTERM)
    return pickle.loads(sys.stdin.buffer.read())  # written by our own parent
