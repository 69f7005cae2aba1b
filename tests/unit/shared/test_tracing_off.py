"""Tracing is off by default, and then costs no import of OpenTelemetry's SDK."""

from __future__ import annotations

import subprocess
import sys


def test_with_tracing_off_nothing_of_the_sdk_or_the_instrumentation_is_imported() -> None:
    """FastAPI itself imports ``opentelemetry-api``; the SDK, the exporter, the
    instrumentation and FastStream's middleware come only with the setting."""
    code = (
        "import sys\n"
        "from shared.settings import Settings\n"
        "from services.profiles.main import create_app as p\n"
        "from services.matcher.main import create_app as m\n"
        "from services.notifier.main import create_app as n\n"
        "for make in (p, m, n): make(Settings(env='test'))\n"
        "heavy = ('opentelemetry.sdk', 'opentelemetry.instrumentation',\n"
        "         'opentelemetry.exporter', 'faststream.opentelemetry')\n"
        "print(sorted(k for k in sys.modules if k.startswith(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
