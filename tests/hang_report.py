"""A hung test or a hung suite fails with its stacks, in the output CI keeps.

pytest-timeout (``timeout_method = "thread"``) ends a test that runs past its timeout
with ``os._exit``; under pytest-xdist the stacks it prints go to the worker's captured
output and are lost: CI only shows "worker 'gw0' crashed while running …" (seen at
stop 17, where the suite then hung until CI's own limit with nothing to read). This
plugin keeps that information:

* **A test past its timeout** (each worker, or a run without xdist): the stacks of
  every thread, the test's id and the worker's child processes are written to
  ``<dumps>/<worker>.txt``; the worker's child processes are killed (so a test's
  servers do not outlive it and get in the next test's way), then the worker exits as
  pytest-timeout's own timer would. The controller puts that file in the crashed
  test's failure report and prints its head at once.
* **A suite past its deadline** (the controller, ``ENTRAIDE_TEST_SUITE_DEADLINE_S``,
  45 minutes by default against a budget of 15): every worker dumps its threads
  (``faulthandler`` on ``SIGUSR1``, which works even in a thread stuck in C) and its
  asyncio tasks with what each awaits (``SIGUSR2``), the
  controller prints them with the process tree, kills the workers and exits with
  status 3, instead of waiting silently for CI's limit.

The dumps folder is ``ENTRAIDE_TEST_DUMPS`` (made by the controller for its workers,
under the system's temporary folder).
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import gc
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pytest

DEADLINE_ENV, DUMPS_ENV = "ENTRAIDE_TEST_SUITE_DEADLINE_S", "ENTRAIDE_TEST_DUMPS"
DEFAULT_DEADLINE_S = 45 * 60
#: Lines of a crashed worker's dump printed at once (all of it goes in the report).
HEAD_LINES = 60

_dump_file: IO[str] | None = None


def _worker_id(config: pytest.Config) -> str:
    workerinput = getattr(config, "workerinput", None)
    return str(workerinput["workerid"]) if workerinput else "main"


def _is_controller(config: pytest.Config) -> bool:
    """The xdist controller (its workers run the tests)."""
    dist = getattr(config.option, "dist", "no")
    return not hasattr(config, "workerinput") and dist not in (None, "no")


def _children() -> dict[int, list[int]]:
    """Each process id's children (from /proc; empty where there is no /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _descendants(pid: int) -> list[int]:
    """Process ids below ``pid``, parents before their children."""
    children = _children()
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _signal(pids: Iterable[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signum)


def _process_tree(pids: list[int]) -> str:
    if not pids:
        return "(no process)\n"
    result = subprocess.run(
        ["ps", "-o", "pid,ppid,stat,etime,args", "-p", ",".join(map(str, pids))],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return result.stdout or result.stderr


def _dumps_dir() -> Path:
    folder = os.environ.get(DUMPS_ENV)
    if not folder:
        folder = tempfile.mkdtemp(prefix="entraide-test-dumps-")
        os.environ[DUMPS_ENV] = folder  # inherited by the workers started after this
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    global _dump_file
    folder = _dumps_dir()
    if _is_controller(config):
        _start_watchdog(config, folder)
        return
    _dump_file = open(folder / f"{_worker_id(config)}.txt", "a", encoding="utf-8")  # noqa: SIM115
    faulthandler.register(signal.SIGUSR1, file=_dump_file, all_threads=True)
    # then the asyncio tasks (a Python handler: it runs once the main thread is back
    # in Python, at once when it sleeps in the event loop's select)
    signal.signal(signal.SIGUSR2, lambda signum, frame: _dump_tasks(_dump_file or sys.stderr))


# --- a test past its timeout (replaces pytest-timeout's thread-method timer) ----------


def _timed_out(item: pytest.Item, timeout: float) -> None:
    out = _dump_file or sys.stderr
    out.write(f"\n=== TIMEOUT after {timeout:g} s: {item.nodeid} (pid {os.getpid()})\n")
    out.write(f"--- child processes, killed now:\n{_process_tree(_descendants(os.getpid()))}")
    out.write("--- threads:\n")
    out.flush()
    faulthandler.dump_traceback(file=out, all_threads=True)
    out.flush()
    _dump_tasks(out)
    _signal(reversed(_descendants(os.getpid())), signal.SIGKILL)
    if not hasattr(item.config, "workerinput") and _dump_file is not None:
        _print_without_xdist(item.config, _dump_file.name)
    os._exit(1)


def _print_without_xdist(config: pytest.Config, path: str) -> None:
    """Without workers nobody reads the dump: the terminal gets it (captured output
    suspended first, as pytest-timeout does)."""
    capman = config.pluginmanager.getplugin("capturemanager")
    if capman is not None:
        capman.suspend_global_capture(in_=True)
    sys.stderr.write(Path(path).read_text(encoding="utf-8", errors="replace"))
    sys.stderr.flush()


def _dump_tasks(out: IO[str]) -> None:
    """The asyncio tasks of every running event loop, each with where it waits: a test
    stuck in ``await`` shows its thread idle in ``select`` above, this says on what.
    Read from the timer's thread while the loop sleeps (diagnostics only)."""
    try:
        loops = [o for o in gc.get_objects() if isinstance(o, asyncio.AbstractEventLoop)]
        for loop in loops:
            if not loop.is_running():
                continue
            out.write(f"--- asyncio tasks of {loop!r}:\n")
            for task in list(asyncio.all_tasks(loop)):
                out.write(f"{task!r}\n")
                for frame in _awaiting(task.get_coro()):
                    code = frame.f_code
                    out.write(f"    {code.co_filename}:{frame.f_lineno} in {code.co_name}\n")
        out.flush()
    except Exception as exc:  # the dump above is what matters: never fail here
        out.write(f"(asyncio tasks not listed: {exc!r})\n")
        out.flush()


def _awaiting(coro: Any) -> Iterator[Any]:
    """The frames of ``coro`` and of what it awaits, down to the innermost."""
    for _ in range(50):
        if coro is None:
            return
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            yield frame
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item: pytest.Item, settings: Any) -> bool | None:
    if settings.method != "thread":
        return None  # pytest-timeout's own signal timer
    timer = threading.Timer(settings.timeout, _timed_out, (item, settings.timeout))
    timer.name = f"entraide-timeout {item.nodeid}"
    timer.daemon = True

    def cancel() -> None:
        timer.cancel()
        timer.join()

    item.cancel_timeout = cancel  # type: ignore[attr-defined]  # pytest-timeout's cancel hook reads it
    timer.start()
    return True


# --- the controller: crashed workers and a suite past its deadline ---------------------


def _read_dump(worker: str) -> str:
    path = Path(os.environ.get(DUMPS_ENV, "/nonexistent")) / f"{worker}.txt"
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


@pytest.hookimpl(optionalhook=True)
def pytest_handlecrashitem(crashitem: str, report: pytest.TestReport, sched: Any) -> None:
    node = getattr(report, "node", None)
    worker = getattr(getattr(node, "gateway", None), "id", "")
    dump = _read_dump(worker) if worker else ""
    if not dump:
        return
    report.longrepr = f"{report.longrepr}\n{dump}"
    head = "\n".join(dump.strip().splitlines()[:HEAD_LINES])
    sys.stderr.write(f"\n[{worker}] crashed in {crashitem}:\n{head}\n")
    sys.stderr.flush()


def _start_watchdog(config: pytest.Config, folder: Path) -> None:
    deadline = float(os.environ.get(DEADLINE_ENV, DEFAULT_DEADLINE_S))
    if deadline <= 0:
        return

    def expire() -> None:
        me = os.getpid()
        workers = _children().get(me, [])
        tree = _process_tree(_descendants(me))
        _signal(workers, signal.SIGUSR1)
        time.sleep(1)
        _signal(workers, signal.SIGUSR2)
        time.sleep(2)
        out = sys.__stderr__ or sys.stderr
        out.write(f"\n=== the test suite is still running after {deadline:g} s: stopping it\n")
        out.write(f"--- processes:\n{tree}")
        for dump in sorted(folder.glob("*.txt")):
            out.write(f"--- {dump.stem}:\n{dump.read_text(errors='replace')[-20000:]}\n")
        out.flush()
        _signal(reversed(_descendants(me)), signal.SIGKILL)
        os._exit(3)

    timer = threading.Timer(deadline, expire)
    timer.name, timer.daemon = "entraide-suite-deadline", True
    timer.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    """The controller (or a run without workers) removes the dumps folder if empty."""
    if hasattr(config, "workerinput"):
        return
    folder = Path(os.environ.get(DUMPS_ENV, "/nonexistent"))
    files = list(folder.glob("*.txt"))
    if folder.is_dir() and all(f.stat().st_size == 0 for f in files):
        for f in files:
            f.unlink()
        folder.rmdir()
