"""The two-phase DATA of the notifier's SMTP client (the e-mail channel), against a real
SMTP server (aiosmtpd): the commit runs before the terminator, a crash or a refused
commit delivers nothing, a refused message undoes the commit, connections are kept."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.local.smtp_sink import SmtpSink
from services.notifier.adapters import handshake, smtp_session
from services.notifier.adapters.channels import EmailChannel
from services.notifier.domain.errors import ChannelError
from services.notifier.domain.model import Contact, Rendered

ROOT = Path(__file__).resolve().parents[3]
LEA = Contact("m1", "Léa", "lea@example.com")
# A line starting with a dot, and a body whose own end must not look like a terminator.
BODY = "Bonjour,\n.\n..ligne pointée\nfin\n"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    s = SmtpSink().start()
    yield s
    s.stop()


def send(sink: SmtpSink, key: str, hs: handshake.Handshake, to: Contact = LEA) -> None:
    with handshake.active(hs):
        EmailChannel(sink.url, "entraide@localhost").send(to, Rendered("Objet", BODY), key)


def test_the_commit_runs_after_the_body_and_before_the_server_has_the_message(sink) -> None:
    seen_at_commit: list[int] = []

    def commit() -> None:
        time.sleep(0.2)  # time enough for the server to act on what it already has
        seen_at_commit.append(len(sink.received))

    hs = handshake.Handshake(commit, lambda reply: pytest.fail(reply))
    send(sink, "k-commit", hs)
    assert seen_at_commit == [0] and hs.committed
    assert sink.per_key() == {"k-commit": 1}
    assert sink.received[0].part("text/plain") == BODY.replace("\n", "\r\n")  # dots kept


def test_a_refused_commit_closes_the_connection_and_nothing_is_delivered(sink) -> None:
    def commit() -> None:
        raise RuntimeError("bail perdu")

    hs = handshake.Handshake(commit, lambda reply: None)
    with pytest.raises(ChannelError):
        send(sink, "k-refused", hs)
    assert isinstance(hs.error, RuntimeError) and not hs.committed
    time.sleep(0.3)
    assert sink.received == []
    send(sink, "k-after", handshake.Handshake(lambda: None, lambda r: None))  # reconnects
    assert sink.per_key() == {"k-after": 1}


def test_a_message_refused_at_the_terminator_undoes_the_commit(sink) -> None:
    sink.data_reply = "451 4.3.0 réessayez plus tard"
    undone: list[str] = []
    hs = handshake.Handshake(lambda: None, undone.append)
    with pytest.raises(ChannelError):
        send(sink, "k-451", hs)
    assert undone and undone[0].startswith("451") and not hs.committed
    sink.data_reply = "250 OK"
    send(sink, "k-451", handshake.Handshake(lambda: None, undone.append))  # same connection
    assert sink.per_key() == {"k-451": 1}


def test_a_worker_keeps_one_connection_and_replaces_a_dead_one(sink, monkeypatch) -> None:
    for i in range(3):
        to = Contact(f"m{i}", f"Membre {i}", f"membre{i}@example.com")
        send(sink, f"k-keep-{i}", handshake.Handshake(lambda: None, lambda r: None), to)
    assert len(set(sink.sessions)) == 1
    assert [(r.to, r.key) for r in sink.received] == [
        (f"membre{i}@example.com", f"k-keep-{i}") for i in range(3)
    ]
    sink.stop()
    sink.start()  # the relay restarted: the kept connection is dead
    monkeypatch.setattr(smtp_session, "IDLE_CHECK_S", 0.0)  # check it before reuse
    send(sink, "k-keep-3", handshake.Handshake(lambda: None, lambda r: None))
    assert len(set(sink.sessions)) == 2 and len(sink.received) == 4
    assert sink.received[-1].to == LEA.email


CHILD = """
import os, signal, sys
from services.notifier.adapters import handshake
from services.notifier.adapters.channels import EmailChannel
from services.notifier.domain.model import Contact, Rendered

def commit():
    if sys.argv[2] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)

hs = handshake.Handshake(commit, lambda reply: None)
with handshake.active(hs):
    EmailChannel(sys.argv[1], "entraide@localhost").send(
        Contact("m1", "Léa", "lea@example.com"), Rendered("Objet", "corps\\n"), sys.argv[2])
"""


def test_a_process_killed_at_its_commit_point_delivers_nothing(sink) -> None:
    killed = subprocess.run([sys.executable, "-c", CHILD, sink.url, "kill"], cwd=ROOT, timeout=60)
    assert killed.returncode == -9
    done = subprocess.run([sys.executable, "-c", CHILD, sink.url, "live"], cwd=ROOT, timeout=60)
    assert done.returncode == 0
    time.sleep(0.3)
    assert sink.per_key() == {"live": 1}, "the killed send reached the server"
