"""tests/hang_report.py: a hung test, or a hung suite, fails with its stacks in the
output CI keeps (pytest-timeout's own stacks are lost under xdist)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

STUCK = """
import asyncio, pytest

async def stuck_on_an_event():
    await asyncio.Event().wait()

@pytest.mark.timeout({timeout})
async def test_stuck():
    await stuck_on_an_event()
"""


def run_stuck(tmp_path: Path, timeout: int, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_stuck.py").write_text(STUCK.format(timeout=timeout))
    command = [
        sys.executable, "-m", "pytest", "-p", "tests.hang_report", "-n", "2", "-q",
        "-p", "no:cacheprovider", "-o", "timeout_method=thread", "-o", "asyncio_mode=auto",
        "--rootdir", str(tmp_path), str(tmp_path / "test_stuck.py"),
    ]  # fmt: skip
    # the inner run's dumps in the test's folder, not the outer run's
    dumps = {"ENTRAIDE_TEST_DUMPS": str(tmp_path / "dumps")}
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **dumps, **env}
    return subprocess.run(
        command, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120
    )


def test_a_test_past_its_timeout_fails_with_the_await_it_was_stuck_on(tmp_path: Path) -> None:
    done = run_stuck(tmp_path, timeout=2)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "crashed while running 'test_stuck.py::test_stuck'" in out
    assert "=== TIMEOUT after 2 s: test_stuck.py::test_stuck" in out
    assert "in stuck_on_an_event" in out  # the asyncio task's chain of awaits


def test_a_suite_past_its_deadline_prints_every_workers_stacks_and_stops(
    tmp_path: Path,
) -> None:
    done = run_stuck(tmp_path, timeout=100, ENTRAIDE_TEST_SUITE_DEADLINE_S="6")
    out = done.stdout + done.stderr
    assert done.returncode == 3, out
    assert "the test suite is still running after 6 s: stopping it" in out
    assert "in test_stuck" in out  # faulthandler's dump of the worker's main thread
