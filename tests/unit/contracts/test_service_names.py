"""Each service has one name, defined once in its package and passed down from there."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
NAMES = ("profiles", "matcher", "notifier", "portal")


def test_each_service_package_names_itself_and_its_port() -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, profiles_port=1, matcher_port=2, notifier_port=3, portal_port=4
    )
    ports = {}
    for name in NAMES:
        package = importlib.import_module(f"services.{name}")
        assert name == package.SERVICE
        ports[name] = package.port(settings)
    assert ports == {"profiles": 1, "matcher": 2, "notifier": 3, "portal": 4}
    explicit = Settings(_env_file=None, matcher_db_url="postgresql://db/m")  # type: ignore[call-arg]
    for name in NAMES:
        package = importlib.import_module(f"services.{name}")
        expected = "postgresql://db/m" if name == "matcher" else f"/{name}.db"
        assert package.db_url(explicit).endswith(expected)


def _ends_with(node: ast.expr, suffix: str) -> bool:
    """``node`` is an f-string whose text ends with ``suffix``."""
    if not isinstance(node, ast.JoinedStr) or not node.values:
        return False
    last = node.values[-1]
    return isinstance(last, ast.Constant) and str(last.value).endswith(suffix)


def test_no_service_name_is_spelled_out_outside_its_package_constant() -> None:
    """A service's name as a string literal appears only in ``services/<name>/__init__.py``,
    and no port is looked up by building its setting's name."""
    files = [*ROOT.glob("services/**/*.py"), *ROOT.glob("shared/**/*.py")]
    found = []
    for path in files:
        if path.name == "__init__.py" and path.parent.name in NAMES:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in NAMES:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and any(_ends_with(a, "_port") or _ends_with(a, "_db_url") for a in node.args)
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} getattr(..., f'..._setting')")
    assert found == []
