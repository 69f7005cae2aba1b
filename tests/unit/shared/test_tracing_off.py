"""Tracing is off by default, and then costs no import of OpenTelemetry's SDK; on, the
composition root builds the OTLP exporter from the settings."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

HEAVY = "('opentelemetry.sdk', 'opentelemetry.instrumentation', 'opentelemetry.exporter', 'faststream.opentelemetry')"  # noqa: E501


def imported_after_building_the_apps(**settings: object) -> str:
    """The OpenTelemetry modules loaded once the three services' apps are built (in a
    fresh interpreter), and the tracer provider's exporter."""
    code = (
        "import sys\n"
        "from shared import tracing\n"
        "from shared.settings import Settings\n"
        "from services.profiles.main import create_app as p\n"
        "from services.matcher.main import create_app as m\n"
        "from services.notifier.main import create_app as n\n"
        f"for make in (p, m, n): make(Settings(env='test', **{settings!r}))\n"
        f"heavy = sorted(k for k in sys.modules if k.startswith({HEAVY}))\n"
        "provider = tracing._provider\n"
        "exporters = [type(p.span_exporter).__name__ for p in\n"
        "             provider._active_span_processor._span_processors] if provider else []\n"
        "print(len(heavy), exporters)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_with_tracing_off_nothing_of_the_sdk_or_the_instrumentation_is_imported() -> None:
    """FastAPI itself imports ``opentelemetry-api``; the SDK, the exporter, the
    instrumentation and FastStream's middleware come only with the setting."""
    assert imported_after_building_the_apps() == "0 []"


def test_with_tracing_on_spans_go_to_the_otlp_exporter_the_settings_name() -> None:
    if importlib.util.find_spec("opentelemetry.sdk") is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs the 'otel' extra (with dev): OpenTelemetry's SDK is missing")
        pytest.skip("OpenTelemetry's SDK is not installed: pip install -e '.[otel]'")
    found = imported_after_building_the_apps(
        otel_enabled=True, otel_exporter_endpoint="http://127.0.0.1:9/v1/traces"
    )
    count, exporters = found.split(" ", 1)
    assert int(count) > 0 and exporters == "['OTLPSpanExporter']"
