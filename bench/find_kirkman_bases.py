"""Search base rounds of KTS / NKTS / RBIBD(v, 4, 1) once and print them as data.

Usage::

    .venv/bin/python bench/find_kirkman_bases.py --max-seconds 120 > /tmp/bases.txt

Each order is searched with :func:`~rotations.cyclic.solve_form` over its forms and seeds
until one is found or ``--max-seconds`` pass; found base rounds are developed and checked
(repeat-free, everyone seated) before being printed as ``(n, k): (form, bases),`` lines to
paste into ``services/matcher/algorithms/rotations/kirkman_bases.py``. Orders not found are
reported on stderr (the planner then falls back to its search).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.matcher.algorithms.rotations.checker import repeat_free
from services.matcher.algorithms.rotations.cyclic import develop, forms, solve_form

ORDERS = (
    [(v, 3) for v in range(9, 100, 6)]
    + [(v, 3) for v in range(18, 100, 6)]
    + [(v, 4) for v in range(16, 101, 12)]
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--only", type=int, nargs="*", default=None)
    parser.add_argument("--budget", type=int, default=20_000)
    args = parser.parse_args()
    todo = [(n, k) for n in args.only for k in (3, 4) if (n, k) in ORDERS] if args.only else ORDERS
    for n, k in todo:
        label, options = forms(n, k) or ("", [])
        start, found = time.monotonic(), None
        seed = 0
        while found is None and time.monotonic() - start < args.max_seconds:
            for index, form in enumerate(options):
                bases = solve_form(form, k, seed=seed, tries=1, budget=args.budget)
                if bases is not None:
                    rounds = form.r * form.bases // (2 if form.half_turn else 1)
                    design = develop(bases, form.r, form.levels, rounds)
                    if repeat_free(design, n, k):
                        found = (index, bases)
                        break
            seed += 1
        took = time.monotonic() - start
        if found is None:
            print(f"not found: {label} in {took:.0f} s", file=sys.stderr, flush=True)
        else:
            print(f"    ({n}, {k}): {found},  # {label}, {took:.1f} s", flush=True)


if __name__ == "__main__":
    main()
