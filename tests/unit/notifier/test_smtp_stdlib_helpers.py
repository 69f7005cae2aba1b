"""The two-phase DATA of :mod:`services.notifier.adapters.smtp_session` splits the
standard library's ``smtplib.SMTP.data``: this fails when the helpers it reuses go."""

from __future__ import annotations

import inspect
import smtplib


def test_the_two_phase_client_still_finds_the_stdlib_helpers_it_splits_data_with() -> None:
    for name in ("_fix_eols", "_quote_periods", "bCRLF"):
        assert hasattr(smtplib, name), name
    assert "def data(self, msg)" in inspect.getsource(smtplib.SMTP)
