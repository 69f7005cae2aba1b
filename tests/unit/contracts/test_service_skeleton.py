"""One skeleton for every service: a maintainer learns it once (issue 9, item 1).

``api/`` (thin routes, schemas, dependencies) · ``domain/`` (pure) · ``adapters/``
(ORM, repositories, clients) · ``service_layer/`` (use cases) · ``handlers.py`` where
the service consumes events · ``main.py`` (composition) · ``migrations/`` (Alembic).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("profiles", "matcher", "notifier", "portal")
REQUIRED = (
    "__init__.py",
    "__main__.py",
    "main.py",
    "api/deps.py",
    "api/schemas.py",
    "api/routes/__init__.py",
    "domain/__init__.py",
    "domain/errors.py",
    "adapters/__init__.py",
    "adapters/orm.py",
    "adapters/repository.py",
    "service_layer/__init__.py",
    "migrations/env.py",
    "migrations/script.py.mako",
    "migrations/versions",
)
#: What may sit at the top of a service folder besides the skeleton's folders.
TOP_LEVEL_MODULES = {"__init__.py", "__main__.py", "main.py", "handlers.py"}
TOP_LEVEL_FOLDERS = {
    "api",
    "domain",
    "adapters",
    "service_layer",
    "migrations",
    "algorithms",  # the matcher's pure algorithms
    "templates",  # the notifier's message templates, the portal's pages
    "static",  # the portal's stylesheet
    "__pycache__",
}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_same_skeleton(service: str) -> None:
    folder = ROOT / "services" / service
    missing = [part for part in REQUIRED if not (folder / part).exists()]
    assert not missing, f"{service} lacks {missing}"


@pytest.mark.parametrize("service", SERVICES)
def test_nothing_else_sits_at_the_top_of_a_service(service: str) -> None:
    folder = ROOT / "services" / service
    extra = sorted(
        p.name
        for p in folder.iterdir()
        if (p.is_file() and p.suffix == ".py" and p.name not in TOP_LEVEL_MODULES)
        or (p.is_dir() and p.name not in TOP_LEVEL_FOLDERS)
    )
    assert not extra, f"{service}: {extra} belong in api/, domain/, adapters/ or service_layer/"


def test_no_sql_outside_adapters_and_migrations() -> None:
    """Outside ``adapters/`` a module may name an ``Engine`` or ``Connection``, no more."""
    allowed = {"Engine", "Connection"}
    offenders = []
    for service in SERVICES:
        for p in (ROOT / "services" / service).rglob("*.py"):
            rel = p.relative_to(ROOT / "services" / service)
            if rel.parts[0] in {"adapters", "migrations"}:
                continue
            for node in ast.walk(ast.parse(p.read_text())):
                if (
                    isinstance(node, ast.Import)
                    and any(a.name.startswith("sqlalchemy") for a in node.names)
                ) or (
                    isinstance(node, ast.ImportFrom)
                    and (node.module or "").startswith("sqlalchemy")
                    and {a.name for a in node.names} - allowed
                ):
                    offenders.append(f"{service}/{rel}")
    assert not offenders, f"SQL (sqlalchemy) used outside adapters/: {sorted(set(offenders))}"
