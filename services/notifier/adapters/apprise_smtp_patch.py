"""The one place where the notifier changes apprise's SMTP module behind its back.

apprise's email plugin (``apprise.plugins.email.smtp``) looks up two module-level
names when it sends: ``smtplib`` (``smtplib.SMTP(...)`` / ``smtplib.SMTP_SSL(...)``,
then ``starttls()`` / ``login()`` / ``sendmail()`` / ``quit()``) and ``ssl``
(``ssl.create_default_context()`` for every e-mail). Two patches replace those names
in that one module only, never the standard library itself:

* :func:`use_smtp_classes`: ``smtplib`` becomes a proxy whose ``SMTP`` and ``SMTP_SSL``
  are the notifier's two-phase, kept-connection clients
  (:mod:`services.notifier.adapters.smtp_session`);
* :func:`share_tls_context`: ``ssl`` becomes a proxy whose argument-less
  ``create_default_context()`` returns one shared, verified context. apprise 2.x
  builds a context for every email, even for a plain (``mode=insecure``) relay;
  loading the CA bundle costs ~30 ms of CPU per message, which alone would make
  10,000 announcements take minutes. Applied only when certificates are verified
  (apprise mutates the context when ``verify=no``).

Both were written against apprise :data:`WRITTEN_FOR`; :func:`check_version` refuses
another version (a library change underneath would silently bypass the two-phase
commit), and ``tests/unit/notifier/test_apprise_smtp_patch.py`` fails when the names
or call sites these patches rely on change. Both apply once (idempotent).
"""

from __future__ import annotations

import importlib.metadata
import ssl
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

#: The apprise versions these patches were written and tested for.
WRITTEN_FOR = ">=2.0,<3"
_LOWEST, _BELOW = (2, 0), (3, 0)
#: The module whose global names are replaced.
MODULE = "apprise.plugins.email.smtp"


class UnsupportedApprise(RuntimeError):
    """The installed apprise is outside :data:`WRITTEN_FOR`: re-check the patches first."""


def _release(version: str) -> tuple[int, int]:
    parts = [int("".join(c for c in p if c.isdigit()) or 0) for p in version.split(".")[:2]]
    major, minor = [*parts, 0, 0][:2]
    return major, minor


def installed_version() -> str:
    return importlib.metadata.version("apprise")


def supported(version: str) -> bool:
    """Whether ``version`` lies in :data:`WRITTEN_FOR`.

    >>> supported("2.3.0"), supported("1.9.3"), supported("3.0")
    (True, False, False)
    """
    return _LOWEST <= _release(version) < _BELOW


def check_version() -> None:
    version = installed_version()
    if not supported(version):
        raise UnsupportedApprise(
            f"apprise {version} installed; the SMTP patches were written for {WRITTEN_FOR}"
        )


def smtp_module() -> Any:
    from apprise.plugins.email import smtp

    return smtp


def use_smtp_classes(smtp: type, smtp_ssl: Any) -> None:
    """apprise's ``smtplib.SMTP`` / ``SMTP_SSL`` become ``smtp`` / ``smtp_ssl`` (once)."""
    module = smtp_module()
    if isinstance(module.smtplib, SimpleNamespace):
        return
    check_version()
    import smtplib

    proxy = SimpleNamespace(**{k: getattr(smtplib, k) for k in dir(smtplib) if k[:2] != "__"})
    proxy.SMTP, proxy.SMTP_SSL = smtp, smtp_ssl
    module.smtplib = proxy


@lru_cache(maxsize=1)
def _shared_default_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def share_tls_context() -> None:
    """apprise's argument-less ``ssl.create_default_context()`` reuses one context (once)."""
    module = smtp_module()
    if isinstance(module.ssl, SimpleNamespace):
        return
    check_version()
    proxy = SimpleNamespace(**{k: getattr(ssl, k) for k in dir(ssl) if not k.startswith("__")})
    proxy.create_default_context = lambda *a, **k: (
        _shared_default_context() if not a and not k else ssl.create_default_context(*a, **k)
    )
    module.ssl = proxy
