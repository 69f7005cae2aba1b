"""Outgoing channels, all through apprise: email over SMTP, chat webhooks.

* Email: the ``ENTRAIDE_SMTP_URL`` apprise ``mailto://`` URL (plain local relay:
  ``mailto://127.0.0.1:2525?mode=insecure``), completed per message with ``to``,
  ``from``, an ``X-Entraide-Message-Key`` header carrying the idempotency key and an
  ``X-Entraide-Correlation`` header carrying the correlation id (when there is one);
  the ``.ics`` invitation rides as an apprise in-memory attachment. apprise's SMTP
  module talks through :mod:`services.notifier.adapters.smtp_session` (two-phase DATA with
  the dispatcher's commit before the terminator; one kept connection per worker).
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
import mimetypes
import threading
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import apprise
from apprise.attachment.memory import AttachMemory
from apprise.utils.parse import is_email

from services.notifier.adapters import apprise_smtp_patch, smtp_session
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
_kept = threading.local()  # per worker thread: {(smtp_url, from): apprise email plugin}
_logs = _ThreadLogs()
logging.getLogger("apprise").addHandler(_logs)
# apprise logs one INFO line per e-mail sent, with the recipient's address: personal
# data in the log and a formatted, written line per message (issue 14: 10,000 of them
# per groups round). Its warnings and errors still reach the log and ``_logs``.
logging.getLogger("apprise").setLevel(logging.WARNING)
# apprise validates an attachment's type against ``mimetypes.types_map``; initialise it
# once here, not lazily from several worker threads at once (that races), and make sure
# the invitation's type is known on hosts whose mime.types lacks it.
mimetypes.add_type("text/calendar", ".ics")


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


def email_headers(kept: dict[str, str], message_key: str) -> dict[str, str]:
    """A kept plugin's headers for this message: its key, and its correlation id or none
    (the previous message's is dropped)."""
    headers = {k: v for k, v in kept.items() if k != correlation.EMAIL_HEADER}
    headers[MESSAGE_KEY_HEADER] = message_key
    return correlation.headers_with(headers, correlation.current(), correlation.EMAIL_HEADER)


class EmailChannel:
    """Email through an SMTP relay described by an apprise ``mailto://`` URL."""

    def __init__(self, smtp_url: str, mail_from: str) -> None:
        self.smtp_url = smtp_url
        self.mail_from = mail_from
        if smtp_url:  # two-phase DATA and kept connections (see smtp_session)
            smtp_session.install()
        query = dict(parse_qsl(urlsplit(smtp_url).query))
        if smtp_url and query.get("verify", "yes").lower() not in {"no", "false", "0"}:
            apprise_smtp_patch.share_tls_context()

    @property
    def configured(self) -> bool:
        return bool(self.smtp_url)

    def url_for(self, contact: Contact, message_key: str) -> str:
        query = dict(parse_qsl(urlsplit(self.smtp_url).query))
        extra = {"to": contact.email, f"+{MESSAGE_KEY_HEADER}": message_key}
        if (correlation_id := correlation.current()) is not None:
            extra[f"+{correlation.EMAIL_HEADER}"] = correlation_id
        if "from" not in query:
            extra["from"] = self.mail_from
        return _with_query(self.smtp_url, extra)

    def _notifier(self, contact: Contact, message_key: str) -> Any:
        """The apprise email plugin for this message: built once per worker thread, then
        re-addressed (``to`` and the key header), which saves its URL parsing (~0.4 ms
        of CPU per email). The recipient goes through apprise's own ``is_email``."""
        kept = _kept.__dict__.setdefault("email", {})
        plugin = kept.get((self.smtp_url, self.mail_from))
        if plugin is None:
            plugin = _plugin(self.url_for(contact, message_key), "smtp_url_refused")
            if isinstance(plugin.targets, list) and isinstance(plugin.headers, dict):
                # apprise spaces two sends of one plugin instance 5.5 s apart; a fresh
                # instance per email (as before) never waited, so neither does this one.
                plugin.request_rate_per_sec = 0
                kept[(self.smtp_url, self.mail_from)] = plugin  # re-addressable
            return plugin
        found = is_email(contact.email)
        if not found:
            raise ChannelError("email_address_refused", transient=False, detail=contact.email[:200])
        plugin.targets = [(header_safe(found["name"]) or False, found["full_email"])]
        plugin.headers = email_headers(plugin.headers, message_key)
        return plugin

    def send(self, contact: Contact, message: Rendered, message_key: str) -> None:
        notifier = self._notifier(contact, message_key)
        attach = None
        if message.ics:
            attach = apprise.AppriseAttachment()
            attach.add(
                AttachMemory(
                    content=message.ics.encode(), name=message.ics_name, mimetype="text/calendar"
                )
            )
        ok, logs = _logs.run(
            lambda: notifier.notify(
                title=header_safe(message.subject),  # names members typed are in it
                body=message.body,
                body_format=apprise.NotifyFormat.TEXT,
                attach=attach,
            )
        )
        if not ok:
            raise ChannelError("smtp_failed", detail=logs or "?")


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
