"""schemathesis against the profiles OpenAPI: no server error, no schema violation.

The app runs in-process (schemathesis' ASGI transport runs its lifespan: real SQLite
file, real nats-server, outbox relay). Every operation gets bounded examples in both
generation modes, with a coordinator token so requests reach the business code.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from schemathesis.python import asgi

from services.profiles.main import create_app
from shared.auth import mint_token

pytestmark = pytest.mark.nats

EXAMPLES = 20
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def test_the_profiles_api_answers_fuzzed_requests_without_errors_or_schema_violations(
    make_settings,
) -> None:
    settings = make_settings()
    app = create_app(settings)
    auth = {"Authorization": f"Bearer {mint_token(settings, 'hr-fuzz', ('coordinator',))}"}
    failures: list[str] = []
    calls = {"n": 0}
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 12
        for operation in operations:
            for mode in (
                schemathesis.GenerationMode.POSITIVE,
                schemathesis.GenerationMode.NEGATIVE,
            ):
                try:
                    _fuzz(operation, mode, auth, calls)
                except Unsatisfiable:  # no parameter to break (e.g. /healthz in negative mode)
                    assert mode == schemathesis.GenerationMode.NEGATIVE
                except Exception as exc:  # collect all operations' failures, then report
                    failures.append(f"{mode} {operation.label}: {exc}")
    finally:
        asgi.shutdown_lifespans()
    assert failures == [], "\n\n".join(failures)
    assert calls["n"] >= len(operations) * 10


def _fuzz(operation: Any, mode: Any, auth: dict[str, str], calls: dict[str, int]) -> None:
    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        calls["n"] += 1
        case.call_and_validate(headers=auth, checks=CHECKS)

    run()
