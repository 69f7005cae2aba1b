"""The notifier's HTTP contract: problem+json errors documented, pages, reasons in words."""

from __future__ import annotations

from pathlib import Path

from services.notifier.main import create_app
from services.notifier.service_layer.delivery_log import reason_text
from services.notifier.service_layer.outbox import event_reason
from shared.settings import Settings


def test_every_route_documents_its_error_statuses_as_problem_json(tmp_path: Path) -> None:
    schema = create_app(Settings(env="test", data_dir=tmp_path)).openapi()
    log = schema["paths"]["/rounds/{round_id}/deliveries"]["get"]
    read = schema["paths"]["/inbox/{entry_id}/read"]["post"]
    assert {"401", "403", "404", "422"} <= set(log["responses"])
    assert {"401", "404"} <= set(read["responses"])
    for status in ("401", "403", "404"):
        assert "application/problem+json" in log["responses"][status]["content"]
    names = {p["name"] for p in log["parameters"]} | {
        p["name"] for p in schema["paths"]["/inbox"]["get"]["parameters"]
    }
    assert {"limit", "offset"} <= names


def test_a_stored_reason_code_reads_in_the_callers_language_with_its_cause() -> None:
    params = {"attempt": 2, "max_attempts": 5, "cause": "smtp_failed", "detail": "451 busy"}
    assert reason_text("retrying", params, "fr") == "tentative 2/5 : échec SMTP : 451 busy"
    assert reason_text("retrying", params, "en") == "attempt 2/5: SMTP failure: 451 busy"
    assert reason_text("member_paused", {"until": "2025-05-01"}, "en") == (
        "member paused until 2025-05-01"
    )
    assert reason_text("membre effacé", None, "en") == "membre effacé"  # an older row, as it is
    assert reason_text(None, None, "fr") is None


def test_events_carry_the_reason_code_and_its_cause_never_a_sentence() -> None:
    assert event_reason("gave_up", {"cause": "webhook_failed", "attempts": 3}) == (
        "gave_up:webhook_failed"
    )
    assert event_reason("member_erased", None) == "member_erased"
