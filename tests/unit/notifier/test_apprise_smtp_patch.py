"""The apprise patches still fit the apprise underneath them.

These tests fail when apprise changes what the patches of
:mod:`services.notifier.adapters.apprise_smtp_patch` rely on: the module, its global
names ``ssl`` and ``smtplib``, the call sites that use them, the installed version.
"""

from __future__ import annotations

import importlib
import inspect
import smtplib
import ssl
from types import SimpleNamespace

import pytest

from services.notifier.adapters import apprise_smtp_patch as patch


def _source() -> str:
    return inspect.getsource(importlib.import_module(patch.MODULE))


def test_the_installed_apprise_is_the_one_the_patches_were_written_for() -> None:
    assert patch.supported(patch.installed_version()), (
        f"apprise {patch.installed_version()} is outside {patch.WRITTEN_FOR}: "
        "re-read apprise.plugins.email.smtp and adapt the patches"
    )
    patch.check_version()


def test_apprise_smtp_module_still_looks_up_ssl_and_smtplib_as_module_globals() -> None:
    module = importlib.import_module(patch.MODULE)
    assert patch.smtp_module() is module
    assert module.ssl is ssl or isinstance(module.ssl, SimpleNamespace)
    assert module.smtplib is smtplib or isinstance(module.smtplib, SimpleNamespace)


def test_apprise_still_builds_a_default_tls_context_and_opens_smtp_through_those_names() -> None:
    source = _source()
    assert "ssl.create_default_context()" in source  # what share_tls_context replaces
    assert "smtplib.SMTP_SSL" in source and "smtplib.SMTP\n" in source  # use_smtp_classes
    for call in (".starttls(", ".login(", ".sendmail(", ".quit("):  # what _TwoPhase overrides
        assert call in source, call


def test_the_two_phase_client_still_finds_the_stdlib_helpers_it_splits_data_with() -> None:
    for name in ("_fix_eols", "_quote_periods", "bCRLF"):
        assert hasattr(smtplib, name), name
    assert "def data(self, msg)" in inspect.getsource(smtplib.SMTP)


def test_the_patches_apply_once_and_touch_only_apprises_module() -> None:
    patch.share_tls_context()
    patch.share_tls_context()
    module = patch.smtp_module()
    assert isinstance(module.ssl, SimpleNamespace) and ssl.create_default_context is not None
    shared = module.ssl.create_default_context()
    assert shared is module.ssl.create_default_context()  # one verified context, reused
    assert shared.verify_mode == ssl.CERT_REQUIRED
    assert module.ssl.create_default_context(cafile=None) is not shared  # with args: fresh


def test_another_apprise_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(patch, "installed_version", lambda: "3.1.0")
    with pytest.raises(patch.UnsupportedApprise, match=r"3\.1\.0"):
        patch.check_version()
    assert not patch.supported("1.9.0") and patch.supported("2.0")
