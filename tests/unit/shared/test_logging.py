"""Log lines: one JSON object per line (production) or readable text, with the
correlation id of the work in progress."""

from __future__ import annotations

import io
import json
import logging

import pytest

from shared import correlation
from shared.logging import configure_logging, handler, log_format
from shared.settings import Settings


def emit(fmt: str, build: object = None) -> str:
    out = io.StringIO()
    h = handler("profiles", fmt)  # type: ignore[arg-type]
    h.setStream(out)  # type: ignore[attr-defined]
    log = logging.getLogger("entraide.test.logging")
    log.addHandler(h)
    log.propagate = False
    try:
        with correlation.bound("req-42"):
            log.warning("member %s updated", "m-1")
        try:
            raise ValueError("boom")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(h)
    return out.getvalue()


def test_a_json_line_holds_time_level_service_logger_message_and_correlation_id() -> None:
    first, second = (json.loads(line) for line in emit("json").splitlines() if line.startswith("{"))
    assert first["level"] == "WARNING" and first["service"] == "profiles"
    assert first["logger"] == "entraide.test.logging" and first["message"] == "member m-1 updated"
    assert first["correlation_id"] == "req-42" and first["time"].endswith("+00:00")
    assert "exception" not in first
    assert second["correlation_id"] is None
    assert "ValueError: boom" in second["exception"] and "Traceback" in second["exception"]


def test_each_json_record_is_one_line_whatever_the_message_holds() -> None:
    lines = emit("json").splitlines()
    assert len(lines) == 2  # the traceback's newlines are escaped inside the object


def test_a_text_line_is_readable_and_shows_the_id_in_brackets() -> None:
    first = emit("text").splitlines()[0]
    assert first.endswith("profiles WARNING entraide.test.logging [req-42]: member m-1 updated")
    assert "[-]: failed" in emit("text")


@pytest.mark.parametrize(
    ("env", "chosen", "expected"),
    [("production", "", "json"), ("development", "", "text"), ("test", "", "text"),
     ("development", "json", "json"), ("production", "text", "text")],
)  # fmt: skip
def test_json_is_the_default_in_production_and_text_elsewhere(
    env: str, chosen: str, expected: str
) -> None:
    secrets = {"jwt_secret": "x" * 40, "session_secret": "y" * 40} if env == "production" else {}
    settings = Settings(env=env, log_format=chosen, **secrets)  # type: ignore[arg-type]
    assert log_format(settings) == expected


def test_configure_logging_routes_every_logger_to_one_stderr_handler() -> None:
    root = logging.getLogger()
    before = root.handlers[:], root.level
    try:
        configure_logging("matcher", Settings(env="test", log_format="json", log_level="DEBUG"))
        assert len(root.handlers) == 1 and root.level == logging.DEBUG
    finally:
        root.handlers[:], _ = before
        root.setLevel(before[1])
