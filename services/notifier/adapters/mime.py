"""The e-mail of one announcement, as the bytes given to ``DATA`` (built by hand).

apprise built each e-mail with :mod:`email.mime` objects and ``as_string()``: about a
fifth of the notifier's CPU per e-mail (py-spy --gil, issue 14). What an announcement
needs is small and fixed: a plain-text UTF-8 body (quoted-printable, as apprise sent
it) and at most one ``.ics`` invitation (base64), so the message is written directly:
the body and the attachment are encoded by :mod:`binascii` (C), headers by the
standard library's RFC 2047 and address helpers. The result parses as the same MIME
structure apprise produced (``multipart/mixed`` with an invitation, ``text/plain``
without).
"""

from __future__ import annotations

import binascii
import functools
import os
from collections.abc import Mapping
from datetime import UTC, datetime
from email.header import Header
from email.utils import format_datetime, formataddr

_CRLF = "\r\n"


@functools.lru_cache(maxsize=1024)
def _header_text(value: str) -> str:
    """A header value as ASCII: as it is when it is ASCII, else RFC 2047 words.

    Cached: a round's subjects are a few (one per template and language), and
    ``Header.encode`` was ~2 % of the notifier's CPU per e-mail (py-spy --gil, issue 14).
    """
    value = " ".join(value.split())  # one logical line (RFC 5322 §2.2.3)
    if value.isascii():
        return value
    return Header(value, "utf-8").encode(linesep=_CRLF)


def _unique() -> str:
    """128 random bits in hex (what ``uuid4().hex`` gave, without building a UUID)."""
    return os.urandom(16).hex()


def _qp(text: str) -> str:
    """Quoted-printable of ``text`` in UTF-8, lines ended by CRLF (a final one added)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    encoded = binascii.b2a_qp("\n".join(lines).encode(), istext=True).decode("ascii")
    return encoded.replace("\n", _CRLF) + _CRLF


def _base64(data: bytes) -> str:
    return binascii.b2a_base64(data).decode("ascii")  # one line; split below


def _lines76(text: str) -> str:
    return _CRLF.join(text[i : i + 76] for i in range(0, len(text), 76)) + _CRLF


def email_message(
    *,
    sender: tuple[str | None, str],
    to: tuple[str | None, str],
    subject: str,
    body: str,
    headers: Mapping[str, str],
    invitation: tuple[str, str] | None = None,
    now: datetime | None = None,
) -> bytes:
    """The message as sent: ``sender`` and ``to`` are (name or None, address), ``headers``
    extra ASCII headers (the message key, the correlation id), ``invitation`` the
    ``.ics`` file's (name, text). Lines end with CRLF; the body's dots are not stuffed
    (``smtplib`` does it)."""
    domain = sender[1].rpartition("@")[2] or "localhost"
    head = [
        *(f"{k}: {v}" for k, v in headers.items()),
        f"Subject: {_header_text(subject)}",
        f"From: {formataddr(sender, charset='utf-8')}",
        f"To: {formataddr(to, charset='utf-8')}",
        f"Message-ID: <{_unique()}@{domain}>",
        f"Date: {format_datetime(now or datetime.now(UTC))}",
        "MIME-Version: 1.0",
    ]
    text = ['Content-Type: text/plain; charset="utf-8"',
            "Content-Transfer-Encoding: quoted-printable", "", _qp(body)]  # fmt: skip
    if invitation is None:
        return _CRLF.join([*head, *text]).encode("ascii")
    name, ics = invitation
    boundary = f"=_entraide_{_unique()}"
    parts = [
        *head,
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        *text,
        f"--{boundary}",
        "Content-Type: text/calendar",
        "Content-Transfer-Encoding: base64",
        f'Content-Disposition: attachment; filename="{_header_text(name)}"',
        "",
        _lines76(_base64(ics.encode()).rstrip("\n")),
        f"--{boundary}--",
        "",
    ]
    return _CRLF.join(parts).encode("ascii")
