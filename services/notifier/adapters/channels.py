"""Outgoing channels: email over SMTP, chat webhooks through apprise.

* Email: the relay is the ``ENTRAIDE_SMTP_URL`` apprise ``mailto://`` URL (plain local
  relay: ``mailto://127.0.0.1:2525?mode=insecure``), read once by apprise. Each message
  is written by :mod:`~services.notifier.adapters.mime` with ``To``, ``From``, an
  ``X-Entraide-Message-Key`` header carrying the idempotency key, an
  ``X-Entraide-Correlation`` header carrying the correlation id (when there is one) and
  the ``.ics`` invitation, and sent through
  :mod:`services.notifier.adapters.smtp_session` (two-phase DATA with the dispatcher's
  commit before the terminator; one kept connection per worker).
* Chat: webhook URLs apprise recognises natively (Slack ``hooks.slack.com``,
  Microsoft Teams Workflows ``*.logic.azure.com``...) are handed to it as they are;
  any other http(s) URL becomes apprise's generic ``json(s)://`` webhook, with an
  ``Idempotency-Key`` header. (apprise 2.3 dropped the retired Office 365 connectors,
  ``*.webhook.office.com``; Teams goes through Workflows URLs, which it recognises.)
  HTTP has no commit point like SMTP's terminator: the delivery is committed after
  the 2xx reply, so a crash between the reply and that commit resends it with the
  same ``Idempotency-Key`` — once-only then depends on the receiver honouring the key
  (a generic receiver can; Slack and Teams ignore it). See :mod:`handshake`.

A failed send raises :class:`ChannelError` (a reason code) with apprise's own explanation, captured
per thread so concurrent sends do not mix their reasons.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import apprise
from apprise.utils.parse import is_email

from services.notifier.adapters import smtp_session
from services.notifier.adapters.mime import email_message
from services.notifier.domain.errors import AddressRefused, ChannelError
from services.notifier.domain.model import Contact, Rendered
from shared import correlation
from shared.safety import UnsafeUrl, check_webhook_url, header_safe


class _ThreadLogs(logging.Handler):
    """Collects apprise's warnings per thread while a send is in progress."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        lines = getattr(self.local, "lines", None)
        if lines is not None:
            lines.append(record.getMessage())

    def run(self, send: Any) -> tuple[bool, str]:
        self.local.lines = []
        try:
            ok = bool(send())
            return ok, "; ".join(self.local.lines)[-1500:]
        finally:
            self.local.lines = None


MESSAGE_KEY_HEADER = "X-Entraide-Message-Key"
_logs = _ThreadLogs()
logging.getLogger("apprise").addHandler(_logs)
# apprise logs one INFO line per e-mail sent, with the recipient's address: personal
# data in the log and a formatted, written line per message (issue 14: 10,000 of them
# per groups round). Its warnings and errors still reach the log and ``_logs``.
logging.getLogger("apprise").setLevel(logging.WARNING)


def _plugin(url: str, refused: str) -> Any:
    """The apprise plugin for ``url``; it sends in the calling thread (no extra pool)."""
    plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
    if plugin is None:
        raise ChannelError(refused, transient=False)
    return plugin


def _with_query(url: str, extra: dict[str, str]) -> str:
    """``url`` with ``extra`` query arguments (apprise's ``+Header`` keys kept literal)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(extra)
    pairs = (f"{quote(k, safe='+')}={quote(v, safe='@:')}" for k, v in query.items())
    return urlunsplit(parts._replace(query="&".join(pairs)))


def email_headers(message_key: str) -> dict[str, str]:
    """The headers of one e-mail: its key, and the correlation id of the delivery (if any)."""
    headers = {MESSAGE_KEY_HEADER: message_key}
    return correlation.headers_with(headers, correlation.current(), correlation.EMAIL_HEADER)


@dataclass(frozen=True)
class Relay:
    """Where and how e-mail goes, read once from the apprise ``mailto://`` URL."""

    host: str
    port: int
    secure_mode: str
    user: str | None
    password: str | None
    verify: bool
    timeout_s: float
    sender: tuple[str | None, str]


class EmailChannel:
    """Email through an SMTP relay described by an apprise ``mailto://`` URL.

    apprise reads the URL once (:meth:`relay`); each message is then written by
    :func:`~services.notifier.adapters.mime.email_message` and sent on the worker's kept
    connection (:func:`~services.notifier.adapters.smtp_session.connection`): apprise's
    own sending built MIME objects and re-addressed a plugin per message, ~2 ms of CPU
    per e-mail (issue 14). The recipient still goes through apprise's ``is_email``.
    """

    def __init__(self, smtp_url: str, mail_from: str) -> None:
        self.smtp_url = smtp_url
        self.mail_from = mail_from
        self._relay: Relay | None = None
        self._tls: ssl.SSLContext | None = None

    @property
    def configured(self) -> bool:
        return bool(self.smtp_url)

    def relay(self) -> Relay:
        """The relay's address, security, account and sender (the URL parsed once)."""
        if self._relay is None:
            query = dict(parse_qsl(urlsplit(self.smtp_url).query))
            extra = {} if "from" in query else {"from": self.mail_from}
            plugin = _plugin(_with_query(self.smtp_url, extra), "smtp_url_refused")
            name, address = plugin.from_addr
            self._relay = Relay(
                plugin.smtp_host, int(plugin.port), plugin.secure_mode, plugin.user,
                plugin.password, bool(plugin.verify_certificate),
                float(plugin.socket_connect_timeout), (name or None, address),
            )  # fmt: skip
        return self._relay

    def _context(self, relay: Relay) -> ssl.SSLContext:
        """One TLS context for every message (loading the CA bundle is ~30 ms of CPU)."""
        if self._tls is None:
            context = ssl.create_default_context()
            if not relay.verify:
                context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            self._tls = context
        return self._tls

    def send(self, contact: Contact, message: Rendered, message_key: str) -> None:
        relay = self.relay()
        found = is_email(contact.email)
        if not found:
            raise ChannelError("email_address_refused", transient=False, detail=contact.email[:200])
        to = (header_safe(found["name"]) or None, found["full_email"])
        raw = email_message(
            sender=relay.sender, to=to,
            subject=header_safe(message.subject),  # names members typed are in it
            body=message.body, headers=email_headers(message_key),
            invitation=(message.ics_name, message.ics) if message.ics else None,
        )  # fmt: skip
        try:
            conn = smtp_session.connection(
                relay.host, relay.port, relay.secure_mode, relay.user, relay.password,
                self._context(relay), relay.timeout_s,
            )  # fmt: skip
            try:
                conn.sendmail(relay.sender[1], [to[1]], raw)
            finally:
                conn.quit()  # kept open when the transaction ended cleanly
        except (OSError, smtplib.SMTPException) as exc:
            raise ChannelError("smtp_failed", detail=repr(exc)[-1500:]) from exc


def chat_url(webhook: str, message_key: str) -> str:
    """The apprise URL of a member's chat webhook.

    A URL apprise recognises natively (Slack ``hooks.slack.com``, Microsoft Teams
    Workflows ``*.logic.azure.com`` / ``*.powerplatform.com``, Discord...) is used as
    it is; any other http(s) URL becomes the generic ``json(s)://`` webhook.
    """
    parts = urlsplit(webhook)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ChannelError("webhook_address_invalid", transient=False, detail=webhook[:200])
    if parts.scheme == "https" and apprise.Apprise.instantiate(webhook, suppress_exceptions=True):
        return webhook
    scheme = "jsons" if parts.scheme == "https" else "json"
    return _with_query(urlunsplit(parts._replace(scheme=scheme)), {"+Idempotency-Key": message_key})


class ChatChannel:
    """Chat messages to the member's webhook (Slack, Teams, or any JSON webhook).

    The address a member typed is checked again just before each send (DNS may have
    changed since profiles accepted it): https, a public address, a host IT allows
    (:func:`shared.safety.check_webhook_url`). A refused one is never connected to.
    ``allow_private_addresses`` skips the check: a test-only setting, refused in
    production.
    """

    def __init__(
        self, allowed_hosts: tuple[str, ...] = (), allow_private_addresses: bool = False
    ) -> None:
        self.allowed_hosts = allowed_hosts
        self.allow_private_addresses = allow_private_addresses

    def check(self, url: str) -> None:
        """Raise :class:`AddressRefused` (the refusal's code) if ``url`` may not be used."""
        if self.allow_private_addresses:
            return
        try:
            check_webhook_url(url, self.allowed_hosts)
        except UnsafeUrl as exc:
            raise AddressRefused(exc.code, **exc.params) from exc

    def send(self, contact: Contact, message: Rendered, message_key: str) -> None:
        if not contact.chat_webhook_url:
            raise ChannelError("no_chat_address", transient=False)
        self.check(contact.chat_webhook_url)
        notifier = _plugin(chat_url(contact.chat_webhook_url, message_key), "webhook_url_refused")
        ok, logs = _logs.run(
            lambda: notifier.notify(
                title=message.subject, body=message.body, body_format=apprise.NotifyFormat.TEXT
            )
        )
        if not ok:
            raise ChannelError("webhook_failed", detail=logs or "?")
