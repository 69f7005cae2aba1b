"""Convention 1: algorithms and domain code import no framework."""

from __future__ import annotations

from pathlib import Path

from tests.support import imports_under

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
    "alembic",
    "shared.web",
    "shared.problems",
    "shared.pagination",
    "shared.db",
    "shared.broker",
    "shared.outbox",
    "shared.catalogue",
)


def test_pure_code_imports_no_framework() -> None:
    pure = list((ROOT / "services" / "matcher" / "algorithms").rglob("*.py"))
    pure += list(ROOT.glob("services/*/domain/**/*.py"))
    assert pure, "no pure modules found: the layout changed"
    offenders = {str(p.relative_to(ROOT)): imports_under(p, FRAMEWORKS) for p in pure}
    assert not {k: v for k, v in offenders.items() if v}
