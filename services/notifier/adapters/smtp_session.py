"""The notifier's SMTP client: two-phase DATA, kept connections.

The e-mail channel (:mod:`~services.notifier.adapters.channels`) sends through
:func:`connection`, this thread's kept connection to the relay, secured and logged in
as apprise's SMTP controller did it (apprise only reads the relay's URL now).

1. **Two-phase DATA** (exactly once across SIGKILL). :meth:`_TwoPhase.data` is
   ``smtplib.SMTP.data`` (same ``_fix_eols``, dot-stuffing with ``_quote_periods``)
   split in two: it sends ``DATA``, awaits 354, sends the body *without* the final
   ``CRLF . CRLF``, calls :meth:`Handshake.commit` (the dispatcher durably marks the
   delivery sent, its own transaction), and only then writes the 5-byte terminator
   and reads the reply. A server discards a message whose terminator never came
   (RFC 5321 §4.1.1.4: the transaction is complete only at the terminator), so:
   crash before the commit -> not delivered, the resend is the only copy; crash
   after -> recorded as sent, delivered once, or lost if the kill fell in the
   microseconds between the commit returning and that one write. Never twice.
   A commit that fails (lease lost, database error) closes the connection without
   the terminator: nothing is delivered. A reply other than 250 undoes the commit
   (:meth:`Handshake.rejected`): the delivery is retried. No reply at all after the
   terminator is ambiguous: it stays sent (:meth:`Handshake.uncertain`).
   Without an active handshake (outside the dispatcher) ``data`` is the stdlib's.
2. **One connection per worker thread and server**, reused across messages:
   ``quit()`` keeps a connection whose last transaction ended cleanly (the stdlib
   already ``RSET``s after a refused message) and closes any other; before reusing a
   connection idle for more than :data:`IDLE_CHECK_S` a ``NOOP`` checks it is still
   open, otherwise a new one is made. ``starttls()`` / ``login()`` on a connection
   already secured / authenticated as that user are no-ops. :func:`close_idle` sends
   the real ``QUIT``\\ s once the worker threads have ended.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
import threading
import time
from typing import Any

from services.notifier.adapters import handshake

#: Reuse a connection idle for longer than this only after a successful NOOP.
IDLE_CHECK_S = 5.0

_local = threading.local()
_everyone: list[tuple[threading.Thread, _TwoPhase]] = []  # (owner, connection)
_everyone_lock = threading.Lock()
_SMTP_ERRORS = (OSError, smtplib.SMTPException)


class _TwoPhase(smtplib.SMTP):
    _pooled = False
    _clean = True
    _secured = False
    _user: str | None = None
    last_used = 0.0

    def connect(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        reply = super().connect(*args, **kwargs)
        # The terminator is a second small write right after the body: with Nagle's
        # algorithm it would wait for the server's delayed ACK (~40 ms per message).
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply

    def starttls(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if self._secured:
            return 220, b"already secured"
        self._clean = False
        reply = super().starttls(*args, **kwargs)
        self._secured, self._clean = True, True
        return reply

    def login(self, user: str, password: str, **kwargs: Any) -> tuple[int, bytes]:
        if self._user == user:
            return 235, b"already authenticated"
        if self._user is not None:
            self._clean = False  # a kept connection of another account: do not mix them
            raise smtplib.SMTPException("connexion SMTP ouverte pour un autre compte")
        self._clean = False
        reply = super().login(user, password, **kwargs)
        self._user, self._clean = user, True
        return reply

    def mail(self, sender: str, options: Any = ()) -> tuple[int, bytes]:
        if not _plain(sender) or any(o.lower() == "smtputf8" for o in options):
            return super().mail(sender, options)
        return self._command("mail", f"FROM:<{sender}>", options)

    def rcpt(self, recip: str, options: Any = ()) -> tuple[int, bytes]:
        if not _plain(recip):
            return super().rcpt(recip, options)
        return self._command("rcpt", f"TO:<{recip}>", options)

    def _command(self, verb: str, address: str, options: Any) -> tuple[int, bytes]:
        """``MAIL`` / ``RCPT`` as the stdlib writes them, the address already in angle
        brackets: ``smtplib.quoteaddr`` runs the e-mail package's address parser on
        every call, ~2 % of the notifier's CPU per e-mail (py-spy --gil, issue 14)."""
        extra = " " + " ".join(options) if options and self.does_esmtp else ""
        self.putcmd(verb, address + extra)
        return self.getreply()

    def sendmail(self, *args: Any, **kwargs: Any) -> Any:
        self._clean = False
        refused = super().sendmail(*args, **kwargs)
        self._clean = True
        return refused

    def data(self, msg: Any) -> tuple[int, bytes]:
        hs = handshake.current()
        if hs is None:
            return super().data(msg)
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")  # type: ignore[attr-defined]
        body = _stuffed(msg)
        if body.endswith(smtplib.bCRLF):  # type: ignore[attr-defined]
            body = body[:-2]  # its CRLF is the first two bytes of the terminator
        self.send(body)
        try:
            hs.commit()
        except BaseException as exc:
            self.close()  # no terminator: the server drops the unfinished message
            raise smtplib.SMTPException(f"envoi annulé avant la fin du message : {exc!r}") from exc
        try:
            self.send(b"\r\n.\r\n")
            code, reply = self.getreply()
        except _SMTP_ERRORS as exc:
            hs.uncertain(f"terminateur envoyé, pas de réponse du serveur SMTP : {exc!r}")
            self.close()
            raise
        if code != 250:
            hs.rejected(f"{code} {reply.decode(errors='replace')}")
        return code, reply

    def quit(self) -> Any:
        if self._pooled and self._clean and self.sock is not None:
            self.last_used = time.monotonic()
            return 250, b"kept open for the next message"
        with contextlib.suppress(*_SMTP_ERRORS):
            return super().quit()
        self.close()
        return 0, b"closed"

    def really_quit(self) -> None:
        self._pooled = False
        self.quit()


class SMTP(_TwoPhase):
    pass


class SMTP_SSL(_TwoPhase, smtplib.SMTP_SSL):
    pass


_PLAIN_ADDRESS = re.compile(r"[^<>()\[\]\\,;:\s\"@]+@[^<>()\[\]\\,;:\s\"@]+")


def _plain(address: str) -> bool:
    """A bare ``local@domain``, which ``smtplib.quoteaddr`` would put in angle brackets
    as it is (anything else goes through it).

    >>> _plain("ana@example.com"), _plain("Ana <ana@example.com>"), _plain("<>")
    (True, False, False)
    """
    return _PLAIN_ADDRESS.fullmatch(address) is not None


def _stuffed(msg: bytes) -> bytes:
    """``smtplib._quote_periods`` (a line's leading dot doubled), its regex run only when
    a line starts with a dot: ~5 % of the senders' CPU on bodies that have none.

    >>> _stuffed(b"a\\r\\n.b\\r\\n"), _stuffed(b"ab\\r\\n")
    (b'a\\r\\n..b\\r\\n', b'ab\\r\\n')
    """
    if msg.startswith(b".") or b"\n." in msg:
        return smtplib._quote_periods(msg)  # type: ignore[attr-defined,no-any-return]
    return msg


def _usable(conn: _TwoPhase) -> bool:
    if conn.sock is None or not conn._clean:
        return False
    if time.monotonic() - conn.last_used < IDLE_CHECK_S:
        return True
    try:
        return conn.noop()[0] == 250
    except _SMTP_ERRORS:
        return False


def _pooled(cls: type[_TwoPhase]) -> Any:
    def connect(host: str = "", port: int = 0, local_hostname: str | None = None,
                **kwargs: Any) -> _TwoPhase:  # fmt: skip
        pool: dict[tuple[Any, ...], _TwoPhase] = _local.__dict__.setdefault("pool", {})
        key = (cls, host, port, local_hostname)
        conn = pool.get(key)
        if conn is not None and _usable(conn):
            return conn
        if conn is not None:
            conn.really_quit()
        conn = cls(host, port, local_hostname, **kwargs)
        conn._pooled = True
        pool[key] = conn
        with _everyone_lock:
            _everyone[:] = [(t, c) for t, c in _everyone if c.sock is not None]
            _everyone.append((threading.current_thread(), conn))
        return conn

    return connect


def connection(host: str, port: int, secure_mode: str, user: str | None, password: str | None,
               context: ssl.SSLContext, timeout_s: float) -> _TwoPhase:  # fmt: skip
    """This thread's kept connection to the relay, secured and logged in as apprise's
    SMTP controller does it (``secure_mode``: ``insecure``, ``ssl`` or ``starttls``).
    Give it back with ``quit()``: it stays open when its transaction ended cleanly."""
    if secure_mode == "ssl":
        conn = _pooled(SMTP_SSL)(host, port, None, timeout=timeout_s, context=context)
    else:
        conn = _pooled(SMTP)(host, port, None, timeout=timeout_s)
    try:
        if secure_mode == "starttls":
            conn.starttls(context=context)
        if user and password:
            conn.login(user, password)
    except BaseException:
        conn.quit()  # not clean: closed
        raise
    return conn


def close_idle() -> int:
    """QUIT the kept connections whose thread has ended (call after a pool shutdown);
    connections of live threads (another app in this process) are left alone."""
    with _everyone_lock:
        ended = [c for t, c in _everyone if not t.is_alive()]
        _everyone[:] = [(t, c) for t, c in _everyone if t.is_alive()]
    for conn in ended:
        conn.really_quit()
    return len(ended)
