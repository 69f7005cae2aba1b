"""A local SMTP server that records what it accepts (demo, tests, benchmarks).

Listens on 127.0.0.1 only (aiosmtpd; the fault suite puts it on its bridge). Each
accepted message is kept once per recipient with the ``X-Entraide-Message-Key``
header the notifier sets, so a duplicate delivery is visible (:meth:`SmtpSink.per_key`).
Tests can make it slow or refuse messages to exercise retries and crash windows.
"""

from __future__ import annotations

import asyncio
import email
import email.header
import email.parser
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from deploy.local.nats_server import free_port

MESSAGE_KEY = "X-Entraide-Message-Key"
#: Parses the header block only (no MIME parts): the key is all the sink needs at once.
_HEADERS = email.parser.BytesHeaderParser()


@dataclass
class Received:
    """One accepted message for one recipient; ``content`` is the message as received
    (bytes, parsed into :attr:`message` on first use) or an already parsed message."""

    to: str
    key: str
    content: bytes | Message

    @property
    def message(self) -> Message:
        # Parsed only when read: a benchmark's sink accepting 10,000 e-mails shares the
        # machine's cores with the notifier it measures, and parsing every MIME body on
        # arrival was most of its CPU (issue 14); tests read the few they check.
        if isinstance(self.content, bytes):
            self.content = email.message_from_bytes(self.content)
        return self.content

    @property
    def subject(self) -> str:
        raw = self.message["Subject"] or ""
        return str(email.header.make_header(email.header.decode_header(raw)))

    def part(self, content_type: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                payload = part.get_payload(decode=True)
                return payload.decode() if isinstance(payload, bytes) else ""
        return ""


@dataclass
class SmtpSink:
    """A real SMTP server on 127.0.0.1 that records what it accepts; can go down and up."""

    port: int = field(default_factory=free_port)
    #: Where it listens: 127.0.0.1, or the fault suite's bridge address.
    host: str = "127.0.0.1"
    rcpt_delay_s: float = 0.0
    #: Wait after recording a message, before the 250 reply (a slow relay: a client
    #: killed meanwhile has delivered without hearing it).
    data_delay_s: float = 0.0
    #: Reply to the end of DATA; anything but 250 refuses the message (nothing recorded).
    data_reply: str = "250 Message accepted"
    received: list[Received] = field(default_factory=list)
    #: When set, each accepted message is also appended to this text file (the demo
    #: tells people to read their sign-in links there).
    mailbox: Path | None = None
    #: One entry per accepted message: the id of the SMTP session (connection) it came on.
    sessions: list[int] = field(default_factory=list)
    _controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"mailto://{self.host}:{self.port}?mode=insecure&from=entraide@localhost"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_delay_s:
            await asyncio.sleep(self.rcpt_delay_s)  # slow relay: time is spent before DATA
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.data_reply.startswith("250"):
            return self.data_reply
        self.sessions.append(id(session))
        content = bytes(envelope.content)
        key = _HEADERS.parsebytes(content).get(MESSAGE_KEY, "")
        for to in envelope.rcpt_tos:
            self.received.append(Received(to, key, content))
        if self.mailbox is not None:
            self._file(envelope.rcpt_tos, self.received[-1])
        if self.data_delay_s:
            await asyncio.sleep(self.data_delay_s)
        return self.data_reply

    def _file(self, recipients: list[str], received: Received) -> None:
        text = received.part("text/plain") or str(received.message.get_payload())
        with open(self.mailbox, "a", encoding="utf-8") as out:  # type: ignore[arg-type]
            out.write(f"À : {', '.join(recipients)}\nObjet : {received.subject}\n\n{text}\n")
            out.write("-" * 72 + "\n")

    def start(self) -> SmtpSink:
        self._controller = Controller(
            self, hostname=self.host, port=self.port, server_hostname="sink.test"
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def per_recipient(self) -> Counter[str]:
        return Counter(r.to for r in self.received)

    def per_key(self) -> Counter[str]:
        return Counter(r.key for r in self.received)

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
