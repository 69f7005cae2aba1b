"""The long fault schedule: every fault of :mod:`deploy.faults.scenarios`, repeated.

    sudo .venv/bin/python -m deploy.faults.run --runs 3            # all faults, 3 runs each
    sudo .venv/bin/python -m deploy.faults.run --fault "partition the leader" --runs 1

Prints one line per run and, at the end, the table of docs/RELIABILITY.md
(fault x runs x acknowledged x lost x duplicated x stale x stuck x time to recover).
Needs root and ``ip`` (namespaces); delay/loss need ``tc netem`` and are skipped with
the reason when the kernel lacks it.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
from pathlib import Path

from deploy.faults.netns import netem_unavailable, unavailable
from deploy.faults.scenarios import FAULTS, Outcome, run_scenario

#: How long each fault lasts in the long schedule (seconds).
DURATIONS = {"SIGSTOP/SIGCONT the leader": 30.0}


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| fault | runs | acknowledged | lost | duplicated | stale | stuck "
        "| time to recover (s, max) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for fault in dict.fromkeys(o.fault for o in outcomes):
        runs = [o for o in outcomes if o.fault == fault]
        v = [o.verdict for o in runs]
        lines.append(
            f"| {fault} | {len(runs)} | {sum(x.acknowledged for x in v)} | "
            f"{sum(len(x.lost) for x in v)} | {sum(len(x.duplicated) for x in v)} | "
            f"{sum(len(x.stale) for x in v)} | {sum(x.stuck for x in v)} | "
            f"{max(o.recovered_s for o in runs):.1f} "
            f"(median {statistics.median(o.recovered_s for o in runs):.1f}) |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fault", action="append", choices=sorted(FAULTS))
    parser.add_argument("--members", type=int, default=100)
    args = parser.parse_args(argv)
    reason = unavailable()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    logging.disable(logging.INFO)  # the services' per-message lines
    outcomes = []
    for fault in args.fault or list(FAULTS):
        for run in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="entraide-fault-") as folder:
                outcome = asyncio.run(
                    run_scenario(
                        fault,
                        Path(folder),
                        members=args.members,
                        fault_s=DURATIONS.get(fault, 8.0),
                    )
                )
            v = outcome.verdict
            print(
                f"{fault} #{run + 1}: acknowledged {v.acknowledged}, lost {len(v.lost)}, "
                f"duplicated {len(v.duplicated)}, stale {len(v.stale)}, stuck {v.stuck}, "
                f"recovered in {outcome.recovered_s:.1f} s; the node hit led the matcher's "
                f"consumer: {'yes' if outcome.hit_consumer_leader else 'no'}",
                flush=True,
            )
            outcomes.append(outcome)
    print(table(outcomes))
    netem = netem_unavailable()
    if netem:
        print(f"delay/loss: skipped ({netem})")
    return 0 if all(o.verdict.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
