"""The long fault schedule: every fault of :mod:`deploy.faults.scenarios`, repeated.

    sudo .venv/bin/python -m deploy.faults.run --runs 2            # all faults, 2 runs each
    sudo .venv/bin/python -m deploy.faults.run --fault "partition the leader" --runs 1

Each run starts a :class:`~deploy.faults.stack.FaultStack` (3 nats nodes, 2 replicas
of each service, PostgreSQL, the SMTP sink) and runs every fault in turn under the
workload (:mod:`deploy.faults.scenarios`); ``--fresh`` starts a fresh stack for each
fault instead (slower: a minute of start-up each on a loaded machine). Prints one line
per fault and run (with, for the broker faults, whether the node hit led each durable
consumer) and, at the end, the table of docs/RELIABILITY.md: fault x runs x
acknowledged writes x lost x duplicated x stale x stuck x announcements (expected,
lost, duplicated, stuck) x stuck rounds x time to recover. Needs root and ``ip``
(namespaces); delay/loss need ``tc netem`` and are skipped with the reason when the
kernel lacks it.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
from pathlib import Path

from deploy.faults.netns import netem_unavailable, unavailable
from deploy.faults.scenarios import FAULTS, Outcome, run_schedule

#: How long each fault lasts in the long schedule (seconds; 8 s unless said here).
DURATIONS = {"SIGSTOP/SIGCONT the leader": 30.0, "SMTP down": 600.0}
#: The longest wait for recovery after a fault: after a long SMTP outage the notifier's
#: breaker waits up to 60 s before its probe and each message up to its retry cap
#: (60 s) before its next attempt, then ~300 messages go out: 120 s was too short.
SETTLE_S = 300.0


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| fault | runs | acknowledged | lost | duplicated | stale | stuck "
        "| announcements | lost | duplicated | stuck | stuck rounds "
        "| time to recover (s, max) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for fault in dict.fromkeys(o.fault for o in outcomes):
        runs = [o for o in outcomes if o.fault == fault and not o.error]
        failed = sum(o.fault == fault and bool(o.error) for o in outcomes)
        if not runs:
            lines.append(f"| {fault} | 0 ({failed} not completed) |" + " — |" * 11)
            continue
        v = [o.verdict for o in runs]
        a = [x.announcements for x in v]
        lines.append(
            f"| {fault} | {len(runs)}{f' (+{failed} not completed)' if failed else ''} | "
            f"{sum(x.acknowledged for x in v)} | "
            f"{sum(len(x.lost) for x in v)} | {sum(len(x.duplicated) for x in v)} | "
            f"{sum(len(x.stale) for x in v)} | {sum(x.stuck for x in v)} | "
            f"{sum(x.expected for x in a)} | {sum(len(x.lost) for x in a)} | "
            f"{sum(len(x.duplicated) for x in a)} | {sum(x.stuck for x in a)} | "
            f"{sum(len(x.stuck_rounds) for x in v)} | "
            f"{max(o.recovered_s for o in runs):.1f} "
            f"(median {statistics.median(o.recovered_s for o in runs):.1f}) |"
        )
    return "\n".join(lines)


def line(outcome: Outcome, run: int) -> str:
    """One run, as printed while the schedule goes on."""
    v, a = outcome.verdict, outcome.verdict.announcements
    led = ", ".join(f"{c}: {'yes' if hit else 'no'}" for c, hit in outcome.led.items())
    if outcome.error:
        return f"{outcome.fault} #{run}: NOT COMPLETED: {outcome.error}"
    return (
        f"{outcome.fault} #{run}: hit {outcome.target}; acknowledged {v.acknowledged}, lost "
        f"{len(v.lost)}, duplicated {len(v.duplicated)}, stale {len(v.stale)}, stuck {v.stuck}; "
        f"announcements {a.expected}, lost {len(a.lost)}, duplicated {len(a.duplicated)}, "
        f"stuck {a.stuck}; stuck rounds {len(v.stuck_rounds)}; recovered in "
        f"{outcome.recovered_s:.1f} s; the node hit led the consumer ({led})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fault", action="append", choices=sorted(FAULTS))
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--seconds", type=float, help="every fault lasts this long")
    parser.add_argument("--settle", type=float, default=SETTLE_S, help="longest recovery wait")
    parser.add_argument(
        "--fresh", action="store_true", help="a fresh stack for every fault (else one per run)"
    )
    args = parser.parse_args(argv)
    reason = unavailable()
    if reason:
        print(f"cannot run: {reason}", file=sys.stderr)
        return 2
    logging.disable(logging.INFO)  # the services' per-message lines
    faults = [(f, args.seconds or DURATIONS.get(f, 8.0)) for f in args.fault or list(FAULTS)]
    outcomes: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        print(line(outcome, 1 + sum(o.fault == outcome.fault for o in outcomes[:-1])), flush=True)

    for _ in range(args.runs):
        for batch in [[f] for f in faults] if args.fresh else [faults]:
            with tempfile.TemporaryDirectory(prefix="entraide-fault-") as folder:
                run_schedule(batch, Path(folder), args.members, args.settle, report=report)
    print(table(outcomes))
    netem = netem_unavailable()
    if netem:
        print(f"delay/loss: skipped ({netem})")
    return 0 if all(o.ok for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
