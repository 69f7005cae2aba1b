"""Convention 1: algorithms and domain code import no framework."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FRAMEWORKS = (
    "fastapi",
    "faststream",
    "sqlalchemy",
    "nats",
    "pydantic_settings",
    "shared.settings",
    "starlette",
    "httpx",
    "uvicorn",
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pure_code_imports_no_framework() -> None:
    pure = list((ROOT / "services" / "matcher" / "algorithms").rglob("*.py"))
    pure += list(ROOT.glob("services/*/domain/**/*.py"))
    assert pure, "no pure modules found: the layout changed"
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            m for m in _imports(p) if any(m == f or m.startswith(f + ".") for f in FRAMEWORKS)
        )
        for p in pure
    }
    assert not {k: v for k, v in offenders.items() if v}
