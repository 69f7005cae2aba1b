"""CPU seconds of a process and of its children, read from Linux ``/proc``."""

from __future__ import annotations

import os
from pathlib import Path


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU seconds of a live process (0.0 if unreadable); with ``children``,
    its children's too: the live ones' own and the ended ones' it has waited for (a
    notifier runs ``ENTRAIDE_NOTIFIER_PROCESSES - 1`` dispatchers as its children)."""
    try:
        fields = _stat(pid)
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime: the waited-for ones
        for child in _children(pid):
            try:
                child_fields = _stat(child)
            except OSError:
                continue
            ticks += int(child_fields[11]) + int(child_fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found
