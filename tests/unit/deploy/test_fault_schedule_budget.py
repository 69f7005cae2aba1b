"""The fault schedule's time budget: a run stuck past it is stopped and named with its
step, the faults after it are reported as not run (the CI test then fails with a
reason instead of its worker being killed by pytest's timeout)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from deploy.faults import scenarios
from deploy.faults.history import Verdict


async def test_a_run_stuck_past_the_budget_is_named_and_the_rest_is_not_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    closed: list[bool] = []

    async def close() -> None:
        closed.append(True)

    workload = SimpleNamespace(step="", ids=[], profiles=None, hr={}, close=close)

    async def register(*args: Any) -> list[str]:
        return []

    async def run_fault(w: Any, name: str, *args: Any) -> scenarios.Outcome:
        if name == "quick":
            return scenarios.Outcome(name, Verdict(1, [], [], [], 0), 1.0)
        w.step = "recovery"
        await asyncio.sleep(60)  # stuck
        raise AssertionError("not reached")

    monkeypatch.setattr(scenarios.Workload, "on", classmethod(lambda cls, stack: workload))
    monkeypatch.setattr(scenarios, "register", register)
    monkeypatch.setattr(scenarios, "run_fault", run_fault)
    stack: Any = SimpleNamespace(data_dir=tmp_path)
    faults = [("quick", 1.0), ("stuck", 1.0), ("after", 1.0)]
    outcomes = await scenarios.schedule(stack, faults, 0, 1.0, budget_s=0.5)
    assert [o.fault for o in outcomes] == ["quick", "stuck", "after"]
    assert outcomes[0].error == "" and outcomes[0].ok
    assert outcomes[1].error == "stopped at the schedule's time budget, in: recovery"
    assert outcomes[2].error == "not run: the schedule's time budget was spent"
    assert closed == [True]
