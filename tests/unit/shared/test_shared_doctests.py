"""The examples in the shared vocabulary's docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "shared.vocabulary.codes",
    "shared.vocabulary.i18n",
    "shared.vocabulary.explain",
    "shared.safety",
    "shared.life_events",
    "shared.metrics",
    "shared.broker_metrics",
    "shared.correlation",
    "shared.db",
    "shared.driver_sql",
]


@pytest.mark.parametrize("module", MODULES)
def test_every_example_in_the_module_runs(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
