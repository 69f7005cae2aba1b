"""The accessibility results of a browser-test run, page by page.

The browser tests check every page they open with axe-core
(``tests/browser/harness.py: assert_accessible``); with ``ENTRAIDE_AXE_REPORT=FILE`` set
each check appends one JSON line to FILE. This script reads that file and prints, per page
(ids replaced by ``<id>``), how many times it was checked and its violations by impact,
then the totals. A serious or critical violation fails the test that saw it, so a green
run shows zeros in those columns; the minor and moderate ones are listed by rule.

    rm -f /tmp/axe.jsonl
    ENTRAIDE_AXE_REPORT=/tmp/axe.jsonl .venv/bin/pytest -q tests/browser
    .venv/bin/python bench/accessibility_report.py /tmp/axe.jsonl
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

IMPACTS = ("critical", "serious", "moderate", "minor")


def summarise(lines: list[dict]) -> tuple[dict[str, Counter[str]], Counter[str], Counter[str]]:
    """(per page: checks and violations by impact, totals by impact, minor/moderate rules)."""
    pages: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for line in lines:
        page = pages[line["page"]]
        page["checks"] += 1
        totals["checks"] += 1
        for v in line["violations"]:
            impact = v.get("impact") or "minor"
            page[impact] += 1
            totals[impact] += 1
            rules[f"{v['id']} ({impact})"] += 1
    return pages, totals, rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", type=Path)
    args = parser.parse_args()
    lines = [json.loads(raw) for raw in args.report.read_text().splitlines() if raw.strip()]
    pages, totals, rules = summarise(lines)
    width = max([len(p) for p in pages] + [4])
    print(f"{'page':<{width}}  checks  " + "  ".join(f"{i:>8}" for i in IMPACTS))
    for page in sorted(pages):
        counts = pages[page]
        print(
            f"{page:<{width}}  {counts['checks']:>6}  "
            + "  ".join(f"{counts[i]:>8}" for i in IMPACTS)
        )
    print(
        f"{len(pages)} pages, {totals['checks']} checks; violations: "
        + ", ".join(f"{totals[i]} {i}" for i in IMPACTS)
    )
    for rule, n in rules.most_common():
        print(f"  {rule}: seen {n} time(s)")


if __name__ == "__main__":
    main()
