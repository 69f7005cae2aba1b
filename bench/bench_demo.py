"""Benchmark of ``entraide demo`` (issue 12): wall time and CPU time, against a baseline
commit played in the same run.

Usage::

    .venv/bin/python bench/bench_demo.py --baseline <commit>    # baseline, then this tree
    .venv/bin/python bench/bench_demo.py                        # this tree only

Each variant runs the whole demo as a user does (``python -m deploy.local.cli demo``: its
own nats-server, the four services, a local SMTP sink, 538 members, six simulated months,
three rounds, the announcements, the health report) on free ports in a fresh data folder.
The baseline is the given commit's tree (``git archive``), run with the same interpreter.
Printed per variant: wall seconds, CPU seconds of the demo and every process it started
(user + system, from ``RUSAGE_CHILDREN``), the e-mails the SMTP sink received, and the
load average before and after: on a shared machine wall time follows the load, so compare
CPU seconds first.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.local.nats_server import free_port  # noqa: E402

PORTS = ("NATS", "NATS_HTTP", "PROFILES", "MATCHER", "NOTIFIER", "PORTAL")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(tree: Path, work: Path, label: str) -> dict[str, str]:
    """Play the demo from ``tree``; its figures."""
    data = work / f"data-{label}"
    env = {**os.environ, "PYTHONPATH": str(tree), "ENTRAIDE_DATA_DIR": str(data)}
    env.update({f"ENTRAIDE_{name}_PORT": str(free_port()) for name in PORTS})
    env.pop("ENTRAIDE_NATS_URL", None)
    before, cpu0, t0 = load(), cpu_of_children(), time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "deploy.local.cli", "demo"], cwd=tree, env=env,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall, cpu = time.monotonic() - t0, cpu_of_children() - cpu0
    if done.returncode != 0:
        sys.exit(f"{label}: the demo failed ({done.returncode}):\n{done.stdout[-3000:]}")
    mails = re.search(r"(\d+) e-mails reçus", done.stdout)
    return {
        "variant": label, "wall s": f"{wall:.1f}", "CPU s": f"{cpu:.1f}",
        "e-mails": mails.group(1) if mails else "?", "load before": before, "load after": load(),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="commit to play first, in the same run")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        work = Path(tmp)
        if args.baseline:
            base = work / "baseline"
            base.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline],
                                     capture_output=True, check=True).stdout  # fmt: skip
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            rows.append(run(base, work, f"baseline {args.baseline[:10]}"))
        rows.append(run(ROOT, work, "this tree"))
    keys = list(rows[0])
    print(" | ".join(keys))
    for row in rows:
        print(" | ".join(row[k] for k in keys))
    if len(rows) == 2:
        ratio = float(rows[1]["CPU s"]) / float(rows[0]["CPU s"])
        print(f"CPU time of this tree / baseline: {ratio:.2f}")


if __name__ == "__main__":
    main()
