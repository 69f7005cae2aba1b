"""Every ``>>>`` example in the algorithms runs, and every public entry point shows one."""

from __future__ import annotations

import doctest
import importlib
import inspect
import io
import pkgutil

import pytest

import services.matcher.algorithms as algorithms

SUBPACKAGES = ("groups", "health", "mentoring", "rotations")
MODULES = sorted(
    m.name for m in pkgutil.walk_packages(algorithms.__path__, algorithms.__name__ + ".")
)
PACKAGES = [importlib.import_module(f"{algorithms.__name__}.{sub}") for sub in SUBPACKAGES]
#: every function a subpackage exports (a name of ``__all__`` that is missing fails here)
ENTRY_POINTS = sorted(
    f"{package.__name__}.{name}"
    for package in PACKAGES
    for name in package.__all__
    if inspect.isfunction(getattr(package, name))
)


def test_the_walk_finds_every_subpackage_and_its_modules():
    for sub in SUBPACKAGES:
        assert f"{algorithms.__name__}.{sub}" in MODULES
        assert sum(m.startswith(f"{algorithms.__name__}.{sub}.") for m in MODULES) >= 4


@pytest.mark.parametrize("name", MODULES)
def test_every_example_in_the_module_runs(name: str):
    module = importlib.import_module(name)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failed = attempted = 0
    for test in doctest.DocTestFinder().find(module):
        result = runner.run(test, out=out.write)
        failed, attempted = failed + result.failed, attempted + result.attempted
    assert failed == 0, f"{failed} of {attempted} examples failed:\n{out.getvalue()}"


@pytest.mark.parametrize("path", ENTRY_POINTS)
def test_every_public_function_of_a_subpackage_shows_an_example(path: str):
    package, name = path.rsplit(".", 1)
    function = getattr(importlib.import_module(package), name)
    tests = doctest.DocTestFinder().find(function, name, globs={})
    assert sum(len(t.examples) for t in tests) >= 1, f"{path} has no >>> example"
