"""CPU time of uvicorn's access log line per request, as the services log it.

uvicorn writes one ``uvicorn.access`` record per answer (``'%s - "%s %s HTTP/%s" %d'``)
when the logger has a handler, which ``services.runner`` gives it
(:func:`shared.logging.configure_logging`: the root handler, text or JSON). This
script makes the same call (the logger, the format, the arguments and the correlation
id of a request) ``--lines`` times into a file, and prints the process CPU time per
line for each format, with the standard library's defaults (``findCaller`` walks the
stack for the caller's file and line; thread and process names are looked up) and with
what :func:`shared.logging.configure_logging` now sets (none of those: no format of
ours prints them). The lines written are compared: they must be identical.

    .venv/bin/python bench/bench_access_log.py [--lines 50000]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared import correlation  # noqa: E402
from shared.logging import configure_logging, lean_records  # noqa: E402
from shared.settings import Settings  # noqa: E402

#: What the standard library sets at import (restored between runs).
DEFAULTS = {
    "_srcfile": logging._srcfile,  # type: ignore[attr-defined]
    "logThreads": logging.logThreads,
    "logProcesses": logging.logProcesses,
    "logMultiprocessing": logging.logMultiprocessing,
}


def one_run(fmt: str, lean: bool, lines: int, out: Path) -> tuple[float, list[str]]:
    """CPU seconds per line, and the lines written without their time stamps."""
    for name, value in DEFAULTS.items():
        setattr(logging, name, value)
    stderr = sys.stderr
    with out.open("w") as sink:
        sys.stderr = sink
        try:
            configure_logging("profiles", Settings(env="test", log_format=fmt))  # type: ignore[arg-type]
            if not lean:  # undo what configure_logging sets, to measure the defaults
                for name, value in DEFAULTS.items():
                    setattr(logging, name, value)
            else:
                lean_records()
            access = logging.getLogger("uvicorn.access")
            scope = {"client": ("127.0.0.1", 40000), "method": "PATCH", "path": "/me"}
            with correlation.bound("1f2e3d4c5b6a7988-2a"):
                cpu = time.process_time()
                for _ in range(lines):
                    access.info(
                        '%s - "%s %s HTTP/%s" %d',
                        "{}:{}".format(*scope["client"]),
                        scope["method"],
                        scope["path"],
                        "1.1",
                        200,
                    )
                cpu = time.process_time() - cpu
        finally:
            sys.stderr = stderr
            logging.basicConfig(force=True, handlers=[logging.NullHandler()])
    written = out.read_text().splitlines()
    return cpu / lines, [strip_time(line, fmt) for line in written[:100]]


def strip_time(line: str, fmt: str) -> str:
    if fmt == "json":
        return line.split('"level"', 1)[1]
    return line.split(" profiles ", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "access.log"
        for fmt in ("text", "json"):
            figures: dict[bool, list[float]] = {False: [], True: []}
            seen: dict[bool, list[str]] = {}
            for _ in range(args.rounds):  # interleaved: a change of load falls on both
                for lean in (False, True):
                    cpu, lines = one_run(fmt, lean, args.lines, out)
                    figures[lean].append(cpu)
                    seen[lean] = lines
            assert seen[False] == seen[True], "the lines differ"
            before, after = min(figures[False]), min(figures[True])
            print(
                f"{fmt:5} access line: stdlib defaults {before * 1e6:5.1f} us CPU, "
                f"as configured now {after * 1e6:5.1f} us ({after / before - 1:+.0%}); "
                f"lines identical: {seen[True][0]}"
            )
    print(f"load average {os.getloadavg()[0]:.1f} after the run")


if __name__ == "__main__":
    main()
