"""A local SMTP server that keeps what it receives (demo, tests, benchmarks).

Listens on 127.0.0.1 only (aiosmtpd). ``messages`` holds every message received;
``message_keys()`` reads the ``X-Entraide-Message-Key`` header the notifier sets, so a
duplicate delivery is visible.
"""

from __future__ import annotations

import email
import threading
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: Message


@dataclass
class SmtpSink:
    port: int
    messages: list[Received] = field(default_factory=list)
    _controller: Controller | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content or envelope.content)
        with self._lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def start(self) -> SmtpSink:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def recipients(self) -> list[str]:
        with self._lock:
            return [r for m in self.messages for r in m.recipients]

    def message_keys(self) -> list[str]:
        with self._lock:
            return [str(m.message.get("X-Entraide-Message-Key", "")) for m in self.messages]

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
