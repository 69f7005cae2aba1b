"""The commit point of one delivery, shared by the dispatcher and the channel code.

The dispatcher opens a :class:`Handshake` around a channel's send (a thread-local, so
apprise, which knows nothing about it, sits in between). The channel calls
:meth:`Handshake.commit` at the last moment before the message becomes irrevocable:

* SMTP (:mod:`services.notifier.adapters.smtp_session`): after the message body and *before*
  the ``CRLF . CRLF`` terminator — a server discards a message whose terminator never
  came, so a crash before the commit means "not delivered", and after it "recorded
  as sent" (delivered once, or lost if the process died in the few microseconds
  between the commit and one 5-byte write; never twice);
* chat webhooks: HTTP has no such point; the dispatcher commits after the 2xx reply,
  and a crash in between resends with the same ``Idempotency-Key`` header (the
  receiver may drop it; Slack/Teams do not honour that header).

If the server then refuses the message (the reply to the terminator is not 250), the
channel calls :meth:`Handshake.rejected`, which undoes the commit so the delivery is
retried. A lost reply after the terminator is :meth:`Handshake.uncertain`: the message
stays recorded as sent (at most once).

"Durably" means: the commit survives the process being killed. SQLite runs with
``synchronous=FULL`` (:mod:`shared.db`), except for the send's own commits
(:func:`services.notifier.adapters.writes.grouped`), which do not wait for the fsync:
waiting would leave the message recorded as sent, its terminator not yet written, for
the fsync's time, and a kill -9 then loses it. So an OS crash or power loss can roll
back the last of those commits and their messages be sent again; PostgreSQL with its
default ``synchronous_commit=on`` does not have that gap.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()


class Handshake:
    def __init__(self, commit: Callable[[], None], undo: Callable[[str], None]) -> None:
        self._commit, self._undo = commit, undo
        self.committed = False
        self.uncertain_reason: str | None = None
        #: The server's reply when it refused the message after the commit.
        self.refusal: str | None = None
        #: What made :meth:`commit` fail (e.g. the lease was lost): nothing was sent.
        self.error: BaseException | None = None

    def commit(self) -> None:
        """Durably record the delivery as sent; raises if it must not go out."""
        if self.committed:
            raise RuntimeError("delivery already committed: refusing to send it twice")
        try:
            self._commit()
        except BaseException as exc:
            self.error = exc
            raise
        self.committed = True

    def rejected(self, reply: str) -> None:
        """The server refused the message after the commit: put the delivery back."""
        self.refusal = reply
        if self.committed:
            self._undo(reply)
            self.committed = False

    def uncertain(self, reason: str) -> None:
        """The terminator may have reached the server but no reply came: keep 'sent'."""
        self.uncertain_reason = reason


def current() -> Handshake | None:
    """The handshake of the send running in this thread, if any."""
    return getattr(_local, "handshake", None)


@contextmanager
def active(handshake: Handshake) -> Iterator[Handshake]:
    _local.handshake = handshake
    try:
        yield handshake
    finally:
        _local.handshake = None
