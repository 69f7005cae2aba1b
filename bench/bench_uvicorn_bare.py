"""uvicorn's own part of a request: the bare app under each server configuration.

The bare baseline of ``bench_profiles_api.py`` (a FastAPI app with one ``GET``, no
database, no auth) served by uvicorn as ``services.runner`` serves the services
(``log_config=None``, ``http`` and ``loop`` left to ``auto``: httptools and uvloop when
installed), and with one thing changed at a time: the access line per request written
(as the services write it: :func:`shared.logging.configure_logging`, to a file) or not,
h11 instead of httptools, asyncio's loop instead of uvloop. Each configuration runs in
its own process pinned to CPU 0, driven by the same load generator (16 connections,
aiohttp, its own process on CPU 1); the configurations are run in turns, ``--rounds``
times, and the figure is the server's CPU time per request (``/proc``), the least of
the rounds: it moves less with the machine's load than req/s or latencies.

    .venv/bin/python bench/bench_uvicorn_bare.py [--seconds 3] [--rounds 2]
    .venv/bin/python bench/bench_uvicorn_bare.py --callgrind --seconds 20 --rounds 1

With ``--callgrind`` each server runs under ``valgrind --tool=callgrind`` and the figure
is its instructions per request over the slice (``callgrind_control -i on/off``), which
the machine's load does not move.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_profiles_api import SERVER_CPU, measure, pin, run_driver  # noqa: E402
from deploy.local.nats_server import free_port  # noqa: E402

#: name -> (http, loop, access line: "write", "format" (formatted, not written) or "off")
CONFIGS = {
    "as runner.py (auto: httptools, uvloop), access line": ("auto", "auto", "write"),
    "as runner.py, access line formatted, not written": ("auto", "auto", "format"),
    "as runner.py, no access line": ("auto", "auto", "off"),
    "h11 instead of httptools, access line": ("h11", "auto", "write"),
    "asyncio loop instead of uvloop, access line": ("auto", "asyncio", "write"),
}


def serve(port: int, http: str, loop: str, access: str, log: str) -> None:
    import uvicorn
    from fastapi import FastAPI

    from shared.logging import configure_logging
    from shared.settings import Settings

    sys.stderr = open(log, "a")  # noqa: SIM115 - the process's stderr until it ends
    configure_logging("bare", Settings(env="test"))
    if access == "off":
        logging.getLogger("uvicorn.access").disabled = True
    elif access == "format":  # the same record, filter and format; nothing written
        for handler in logging.getLogger().handlers:
            handler.emit = handler.format  # type: ignore[method-assign,assignment]
    app = FastAPI()

    @app.get("/me")
    def me() -> dict[str, Any]:  # as bench_profiles_api's bare app
        return {"id": "bare", "display_name": "Bare", "version": 1}

    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, http=http, loop=loop)  # type: ignore[arg-type]


def wait_listening(port: int, timeout: float = 30.0) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def one(name: str, seconds: float, log: str, callgrind: str | None = None) -> float:
    """The server's CPU ms per request for one slice of configuration ``name``; with
    ``callgrind`` (a folder), the server runs under valgrind and the figure is its
    instructions per request (millions), counted during the slice only."""
    http, loop, access = CONFIGS[name]
    port = free_port()
    command = [sys.executable, __file__, "--serve", str(port), http, loop, access, log]
    if callgrind is not None:
        out_file = f"--callgrind-out-file={callgrind}/cg.%p"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", out_file, *command]
    server = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, timeout=300.0)
        pin(server.pid, SERVER_CPU)
        spec = {
            "url": f"http://127.0.0.1:{port}/me",
            "method": "GET",
            "tokens": ["x"],
            "connections": 16,
            "seconds": seconds,
            "warmup": 0.5,
        }
        if callgrind is None:
            out = measure(spec, server.pid)
            answers = len(out["latencies"]) + sum(out["errors"].values())
            return float(out["cpu"]) / max(1, answers) * 1000
        run_driver(spec)  # warm-up, not counted
        return instructions(server.pid, {**spec, "warmup": 0.0}, Path(callgrind)) / 1e6
    finally:
        server.terminate()
        server.wait()


def instructions(pid: int, spec: dict[str, Any], folder: Path) -> float:
    """Instructions per answer of the server ``pid`` (under callgrind) over one slice."""
    control = ["callgrind_control"]
    subprocess.run([*control, "-i", "on", str(pid)], check=True, capture_output=True)
    out = run_driver(spec)
    subprocess.run([*control, "-i", "off", str(pid)], check=True, capture_output=True)
    subprocess.run([*control, "-d", "slice", str(pid)], check=True, capture_output=True)
    dump = next(folder.glob(f"cg.{pid}.*"))
    totals = next(line for line in dump.read_text().splitlines() if line.startswith("totals:"))
    dump.unlink()
    answers = len(out["latencies"]) + sum(out["errors"].values())
    return int(totals.split()[1]) / max(1, answers)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        port, http, loop, access, log = sys.argv[2:7]
        serve(int(port), http, loop, access, log)
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--callgrind", action="store_true", help="instructions per request (valgrind)"
    )
    args = parser.parse_args()
    unit = "M instructions/request" if args.callgrind else "ms CPU/request"
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    figures: dict[str, list[float]] = {name: [] for name in CONFIGS}
    with tempfile.TemporaryDirectory() as tmp:
        log = str(Path(tmp) / "server.log")
        for _ in range(args.rounds):
            for name in CONFIGS:
                figures[name].append(one(name, args.seconds, log, tmp if args.callgrind else None))
    base = min(figures[next(iter(CONFIGS))])
    for name, cpus in figures.items():
        print(f"{name:<52} {min(cpus):6.3f} {unit} ({min(cpus) / base - 1:+.0%})")
    print(f"load average {os.getloadavg()[0]:.1f} after the run")


if __name__ == "__main__":
    main()
