"""What members type cannot hurt anyone: outgoing URLs, spreadsheet cells, mail headers.

Pure checks shared by the services (profiles when it stores a value, the notifier
again just before it uses one, since DNS can change in between):

- :func:`check_webhook_url`: a chat webhook must be ``https``, must not resolve to a
  loopback, private, link-local, multicast or reserved address (server-side request
  forgery), and may be limited to hosts IT allows.
- :func:`spreadsheet_safe`: a CSV cell that a spreadsheet would run as a formula
  (``=``, ``+``, ``-``, ``@``, tab, carriage return first) is prefixed with ``'``.
- :func:`header_safe`: control characters never reach an e-mail header.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Sequence[str]]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnsafeUrl(ValueError):
    """The URL is refused; ``code`` says why (a message code of the catalogue)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_webhook_url(
    url: str,
    allowed_hosts: Iterable[str] = (),
    resolver: Resolver = resolve,
) -> str:
    """Return ``url`` if it is safe to send to, else raise :class:`UnsafeUrl`.

    ``allowed_hosts`` (if any) lists the host names IT allows; a leading ``.`` allows
    every sub-domain (``.slack.com``). Every address the host resolves to must be a
    public one: a single private address is enough to refuse it.

    >>> check_webhook_url("http://hooks.example.com/x", resolver=lambda h, p: ["93.184.216.34"])
    Traceback (most recent call last):
    ...
    shared.safety.UnsafeUrl: webhook_not_https
    >>> check_webhook_url("https://127.0.0.1:8443/x", resolver=lambda h, p: ["127.0.0.1"])
    Traceback (most recent call last):
    ...
    shared.safety.UnsafeUrl: webhook_private_address
    >>> check_webhook_url("https://hooks.example.com/x", resolver=lambda h, p: ["93.184.216.34"])
    'https://hooks.example.com/x'
    """
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise UnsafeUrl("webhook_not_https")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host or parts.username or parts.password:
        raise UnsafeUrl("webhook_malformed")
    allowed = [h.lower() for h in allowed_hosts if h]
    if allowed and not any(_host_allowed(host, rule) for rule in allowed):
        raise UnsafeUrl("webhook_host_not_allowed", host=host)
    try:
        port = parts.port or 443
    except ValueError as exc:
        raise UnsafeUrl("webhook_malformed") from exc
    try:
        found = [host] if _is_ip(host) else resolver(host, port)
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in found]
    except (OSError, ValueError) as exc:
        raise UnsafeUrl("webhook_unresolvable", host=host) from exc
    if not addresses:
        raise UnsafeUrl("webhook_unresolvable", host=host)
    for address in addresses:
        if not address.is_global or address.is_multicast:
            raise UnsafeUrl("webhook_private_address", host=host, address=str(address))
    return url


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _host_allowed(host: str, rule: str) -> bool:
    if rule.startswith("."):
        return host.endswith(rule) or host == rule[1:]
    return host == rule


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula (OWASP's CSV injection advice).

    >>> spreadsheet_safe("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> spreadsheet_safe("-2"), spreadsheet_safe(-2), spreadsheet_safe("Lyon")
    ("'-2", -2, 'Lyon')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def header_safe(text: str, limit: int = 998) -> str:
    """``text`` for an e-mail header: control characters become spaces, length bounded.

    >>> header_safe("Bonjour\\r\\nBcc: victim@example.com")
    'Bonjour  Bcc: victim@example.com'
    """
    cleaned = "".join(" " if (ord(c) < 32 or ord(c) == 127) else c for c in text)
    return cleaned[:limit]
