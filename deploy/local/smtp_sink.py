"""A local SMTP server that records what it accepts (demo, tests, benchmarks).

Listens on 127.0.0.1 only (the fault suite puts it on its bridge). Each accepted
message is kept once per recipient with the ``X-Entraide-Message-Key`` header the
notifier sets, so a duplicate delivery is visible (:meth:`SmtpSink.per_key`). Tests can
make it slow or refuse messages to exercise retries and crash windows.

It is the relay of the benchmarks too, on the same 2 cores as the notifier it measures:
aiosmtpd cost it ~1.3 ms of CPU per e-mail (a 10,000-member round: 13.4 s, issue 14),
mostly its DATA loop (one ``readuntil`` and checks per line), the address parser of
``MAIL`` / ``RCPT`` (a class built per call) and the header parser. This one speaks
the little SMTP a relay needs (``EHLO`` / ``HELO``, ``MAIL``, ``RCPT``, ``DATA``,
``RSET``, ``NOOP``, ``QUIT``; ``PIPELINING`` advertised: commands are read in order from
one buffer) on :mod:`asyncio` streams in a thread of its own, reads the message in one
``readuntil`` of the terminator, keeps the raw bytes and finds the key by a byte search
of the header block; the message is parsed when a test reads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.header
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

from deploy.local.nats_server import free_port

MESSAGE_KEY = "X-Entraide-Message-Key"
_KEY_LINE = b"\n" + MESSAGE_KEY.lower().encode() + b":"
_TERMINATOR = b"\r\n.\r\n"
_LIMIT = 64 * 1024 * 1024  # the largest message read (an e-mail of ours is a few kB)


def message_key(content: bytes) -> str:
    """The ``X-Entraide-Message-Key`` header of a raw message ("" if it has none).

    >>> message_key(b"Subject: x\\r\\nX-Entraide-Message-Key: r1:m1:email\\r\\n\\r\\nbody")
    'r1:m1:email'
    """
    end = content.find(b"\r\n\r\n")
    head = b"\n" + (content if end < 0 else content[: end + 2]).lower()
    at = head.find(_KEY_LINE)
    if at < 0:
        return ""
    start = at + len(_KEY_LINE)
    stop = head.find(b"\n", start)
    # The lowered copy has the same offsets: the value is read from the original bytes.
    return content[start - 1 : stop - 1].strip().decode("ascii", "replace")


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
    #: The name it gives in its greeting and EHLO reply.
    server_hostname: str = "sink.test"
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: asyncio.Server | None = None
    _clients: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"mailto://{self.host}:{self.port}?mode=insecure&from=entraide@localhost"

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._clients.add(writer)
        try:
            await _Session(self, reader, writer).serve()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # the client went away (or was killed) mid-transaction: nothing recorded
        finally:
            self._clients.discard(writer)
            writer.close()

    def _accept(self, session: int, recipients: list[str], content: bytes) -> None:
        self.sessions.append(session)
        key = message_key(content)
        for to in recipients:
            self.received.append(Received(to, key, content))
        if self.mailbox is not None:
            self._file(recipients, self.received[-1])

    def _file(self, recipients: list[str], received: Received) -> None:
        text = received.part("text/plain") or str(received.message.get_payload())
        with open(self.mailbox, "a", encoding="utf-8") as out:  # type: ignore[arg-type]
            out.write(f"À : {', '.join(recipients)}\nObjet : {received.subject}\n\n{text}\n")
            out.write("-" * 72 + "\n")

    def start(self) -> SmtpSink:
        loop = self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="smtp-sink", daemon=True)
        self._thread.start()
        listening = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._session, self.host, self.port, limit=_LIMIT), loop
        )
        self._server = listening.result(10)
        return self

    def stop(self) -> None:
        """Stop listening and drop the open connections (the relay is down)."""
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()
        self._loop = self._thread = self._server = None

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._clients):
            writer.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*tasks, return_exceptions=True)

    def per_recipient(self) -> Counter[str]:
        return Counter(r.to for r in self.received)

    def per_key(self) -> Counter[str]:
        return Counter(r.key for r in self.received)

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Session:
    """One client connection: the commands in order, one reply each (RFC 5321)."""

    def __init__(
        self, sink: SmtpSink, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.sink, self.reader, self.writer = sink, reader, writer
        self.sender: str | None = None
        self.recipients: list[str] = []

    def reply(self, line: str) -> None:
        self.writer.write(line.encode() + b"\r\n")

    async def serve(self) -> None:
        self.reply(f"220 {self.sink.server_hostname} ESMTP")
        while True:
            line = await self.reader.readuntil(b"\n")
            verb, _, arg = line.decode("utf-8", "replace").strip().partition(" ")
            verb = verb.upper()
            if verb == "QUIT":
                self.reply("221 Bye")
                await self.writer.drain()
                return
            await self.command(verb, arg)  # replies are written at once (no drain needed)

    async def command(self, verb: str, arg: str) -> None:
        if verb == "EHLO":
            self.sender, self.recipients = None, []
            host = self.sink.server_hostname
            self.reply(f"250-{host}\r\n250-SIZE {_LIMIT}\r\n250-8BITMIME\r\n250 PIPELINING")
        elif verb == "HELO":
            self.sender, self.recipients = None, []
            self.reply(f"250 {self.sink.server_hostname}")
        elif verb in {"RSET", "NOOP"}:
            if verb == "RSET":
                self.sender, self.recipients = None, []
            self.reply("250 OK")
        elif verb == "MAIL":
            self.sender, self.recipients = _address(arg, "FROM:"), []
            self.reply("250 OK" if self.sender is not None else "501 Syntax: MAIL FROM:<address>")
        elif verb == "RCPT":
            await self.rcpt(arg)
        elif verb == "DATA":
            await self.data()
        else:
            self.reply("500 Command not recognized")

    async def rcpt(self, arg: str) -> None:
        to = _address(arg, "TO:")
        if self.sender is None:
            self.reply("503 Error: need MAIL command")
        elif not to:
            self.reply("501 Syntax: RCPT TO:<address>")
        else:
            if self.sink.rcpt_delay_s:  # slow relay: time is spent before DATA
                await asyncio.sleep(self.sink.rcpt_delay_s)
            self.recipients.append(to)
            self.reply("250 OK")

    async def data(self) -> None:
        if not self.recipients:
            self.reply("503 Error: need RCPT command")
            return
        self.reply("354 End data with <CR><LF>.<CR><LF>")
        raw = await self.reader.readuntil(_TERMINATOR)
        content = raw[: -len(_TERMINATOR)].replace(b"\r\n..", b"\r\n.") + b"\r\n"
        if content.startswith(b".."):
            content = content[1:]
        recipients, self.sender, self.recipients = self.recipients, None, []
        sink = self.sink
        if sink.data_reply.startswith("250"):
            sink._accept(id(self), recipients, content)
            if sink.data_delay_s:
                await asyncio.sleep(sink.data_delay_s)
        self.reply(sink.data_reply)


def _address(arg: str, prefix: str) -> str | None:
    """The address of ``FROM:<a@b> SIZE=12`` / ``TO:<a@b>`` (``""`` for ``<>``)."""
    if not arg.upper().startswith(prefix):
        return None
    rest = arg[len(prefix) :].strip()
    if rest.startswith("<"):
        end = rest.find(">")
        return rest[1:end] if end > 0 else None
    return rest.split(" ", 1)[0] or None
