"""Social golfer instances: the rotations planner against the published results.

Usage::

    .venv/bin/python bench/bench_golfers.py                  # every instance (a few minutes)
    .venv/bin/python bench/bench_golfers.py --quick          # a handful (< 1 minute)
    .venv/bin/python bench/bench_golfers.py --baseline-ref main

Instance ``g-s-w``: ``g`` tables of ``s`` people for ``w`` rounds, nobody meeting twice
(``g * s`` golfers, each their own site so that site mixing plays no part). For each one it
prints the family that gives a published solution, the best number of rounds known, and for
``ours`` (this tree's ``plan_rotations``) and ``baseline`` (``plan_rotations`` of
``--baseline-ref``, run in a child process from a ``git archive`` of that commit, in the
same run) the repeated encounters left, the wall and CPU time of the call and the method.
Default time limit of a plan: 30 s (the issue's goal); the move budget is the planner's
default.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: (g, s, w, source of a published solution, best known rounds for g-s)
INSTANCES = [
    (3, 3, 4, "affine plane AG(2,3) = KTS(9)", 4),
    (5, 3, 7, "Kirkman's schoolgirls KTS(15)", 7),
    (6, 3, 8, "NKTS(18)", 8),
    (7, 3, 10, "KTS(21)", 10),
    (8, 3, 11, "NKTS(24)", 11),
    (9, 3, 13, "KTS(27)", 13),
    (10, 3, 14, "NKTS(30)", 14),
    (11, 3, 16, "KTS(33)", 16),
    (12, 3, 17, "NKTS(36)", 17),
    (13, 3, 19, "KTS(39)", 19),
    (15, 3, 22, "KTS(45)", 22),
    (4, 4, 5, "affine plane AG(2,4)", 5),
    (7, 4, 9, "RBIBD(28,4,1)", 9),
    (10, 4, 13, "RBIBD(40,4,1) (Handbook VII.7.5.a)", 13),
    (13, 4, 17, "RBIBD(52,4,1) (Handbook VII.7.5.a)", 17),
    (19, 4, 25, "RBIBD(76,4,1) (Handbook VII.7.5.a)", 25),
    (16, 4, 21, "RBIBD(64,4,1) = AG(3,4) lines", 21),
    (8, 4, 9, "partial spread of PG(4,2)", 10),
    (8, 4, 10, "Aguado 2004 (8-4-10 solved)", 10),
    (5, 5, 6, "affine plane AG(2,5)", 6),
    (6, 6, 3, "Latin square (N(6) = 1)", 3),
    (7, 7, 8, "affine plane AG(2,7)", 8),
    (8, 8, 9, "affine plane AG(2,8)", 9),
    (9, 9, 10, "affine plane AG(2,9)", 10),
    (10, 10, 4, "2 MOLS(10) (Bose-Shrikhande-Parker)", 4),
    (12, 12, 7, "5 MOLS(12) (Johnson-Dulmage-Mendelsohn)", 7),
    (10, 3, 10, "RTD(3,10) from 2 MOLS(10)", 14),
    (20, 4, 20, "RTD(4,20) from 3 MOLS(20)", 20),
    (25, 10, 8, "TD(10,25) over GF(25)", 25),
]
QUICK = {(5, 3, 7), (7, 3, 10), (7, 4, 9), (10, 10, 4), (8, 4, 10), (10, 4, 13), (12, 12, 7)}

CHILD = """
import json, sys, time
from services.matcher.algorithms.model import Person
from services.matcher.algorithms.rotations import plan_rotations
out = []
for g, s, w, limit in json.loads(sys.argv[1]):
    people = [Person(f"g{i:04d}", site=f"s{i:04d}") for i in range(g * s)]
    start, cpu = time.perf_counter(), time.process_time()
    plan = plan_rotations(people, table_size=s, rounds=w, time_limit_s=limit)
    took, cpu = time.perf_counter() - start, time.process_time() - cpu
    out.append([plan.report.figures.repeated_encounters, took, plan.report.method, cpu])
print(json.dumps(out))
"""


def run(cases: list[list[int]], pythonpath: str) -> list[list]:
    env = {**os.environ, "PYTHONPATH": pythonpath}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(cases)],
        env=env,
        cwd=pythonpath,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--baseline-ref", default="main")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    chosen = [i for i in INSTANCES if not args.quick or i[:3] in QUICK]
    cases = [[g, s, w, args.time_limit] for g, s, w, _, _ in chosen]
    print(f"load average at start: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    start = time.perf_counter()
    ours = [run([c], str(ROOT))[0] for c in cases]
    ours_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.baseline_ref, "services", "shared"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        base = [run([c], tmp)[0] for c in cases]
    head = (
        f"{'g-s-w':9} {'n':>4} {'best':>4} {'source':43} {'ours':>5} {'s':>6} {'cpu':>6}"
        f" {'base':>5} {'s':>6} {'cpu':>6}"
    )
    print(head + "  method (ours)")
    for (g, s, w, source, best), mine, theirs in zip(chosen, ours, base, strict=True):
        print(
            f"{g}-{s}-{w:<5} {g * s:>4} {best:>4} {source:43} {mine[0]:>5} {mine[1]:>6.2f}"
            f" {mine[3]:>6.2f} {theirs[0]:>5} {theirs[1]:>6.2f} {theirs[3]:>6.2f}  {mine[2]}"
        )
    zero_ours = sum(m[0] == 0 for m in ours)
    zero_base = sum(b[0] == 0 for b in base)
    print(
        f"\nzero repeats: ours {zero_ours}/{len(chosen)}, baseline ({args.baseline_ref}) "
        f"{zero_base}/{len(chosen)}; ours took {ours_s:.0f} s in all; "
        f"max plan time ours {max(m[1] for m in ours):.2f} s; "
        f"load average at end: {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
