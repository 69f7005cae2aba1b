"""What members type cannot hurt anyone (issue 10, item 8), over the real notifier:
a chat webhook pointing inside the network is never connected to, and a display name
carrying a line break never becomes an e-mail header."""

from __future__ import annotations

import re
import socket
import threading
import uuid
from typing import Any

import pytest

from deploy.local.smtp_sink import SmtpSink
from services.notifier.adapters.config import DispatcherOptions
from services.notifier.main import create_app as notifier_app
from shared.events import Explanation, MentoringPairMatched
from tests.integration.notifier.receivers import HttpReceiver, wait_until
from tests.support import bearer, operator_jetstream, running

pytestmark = pytest.mark.nats

CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a tab may fold a header, nothing else
FAST = DispatcherOptions(settle_s=0.2, poll_interval_s=0.1, lease_s=5, contact_ttl_s=0)


class Listener:
    """A TCP socket listening on 127.0.0.1 that records whether anybody connected."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def member(name: str, **extra: Any) -> dict[str, Any]:
    return {"display_name": name, "email": f"{uuid.uuid4().hex[:8]}@example.com", **extra}


async def announce(settings: Any, mentor: str, mentee: str) -> dict[str, Any]:
    """Run the notifier, publish a mentoring pair, return its settled delivery log."""
    round_id = f"round-{uuid.uuid4().hex[:8]}"
    event = MentoringPairMatched(
        producer="matcher", match_id=f"{round_id}-m", round_id=round_id,
        mentor_id=mentor, mentee_id=mentee, explanation=Explanation(),
    )  # fmt: skip
    async with running(notifier_app(settings, FAST)) as notifier:
        js = operator_jetstream(notifier)
        await js.publish(event.subject, event.model_dump_json().encode())
        return await settled_log(notifier, settings, round_id)


async def settled_log(notifier: Any, settings: Any, round_id: str) -> dict[str, Any]:
    async def settled() -> dict[str, Any] | None:
        r = await notifier.get(
            f"/rounds/{round_id}/deliveries", headers=bearer(settings, "hr", "coordinator")
        )
        c = r.json().get("counts", {}) if r.status_code == 200 else {}
        return r.json() if c and c["pending"] + c["claimed"] + c["sending"] == 0 else None

    result: dict[str, Any] = await wait_until(settled, timeout=20, what="deliveries settled")
    return result


async def test_a_chat_webhook_on_a_loopback_address_fails_for_good_and_is_never_connected_to(
    make_settings: Any,
) -> None:
    with HttpReceiver() as profiles, Listener() as inside:
        mentor, mentee = (f"ssrf-{uuid.uuid4().hex[:8]}" for _ in range(2))
        hook = f"https://127.0.0.1:{inside.port}/hook"
        for member_id in (mentor, mentee):
            profiles.members[member_id] = member(
                "Membre", notification_channels=["chat"], chat_webhook_url=hook
            )
        settings = make_settings(profiles_url=profiles.base, retry_base_s=0.1, max_attempts=3)
        log = await announce(settings, mentor, mentee)

    chat = [d for d in log["items"] if d["channel"] == "chat"]
    assert len(chat) == 2
    assert {d["status"] for d in chat} == {"failed"}
    assert {d["reason"] for d in chat} == {"webhook_private_address"}
    assert all(d["attempts"] == 1 for d in chat), "a refused address is not retried"
    assert "127.0.0.1" in chat[0]["reason_text"]
    assert inside.connections == 0, "nobody may connect to an internal address"


async def test_a_line_break_in_a_display_name_never_becomes_an_email_header(
    make_settings: Any,
) -> None:
    sink = SmtpSink().start()
    try:
        with HttpReceiver() as profiles:
            mentor, mentee = (f"crlf-{uuid.uuid4().hex[:8]}" for _ in range(2))
            # ASCII names: no encoded-word hides the line break or the escape character.
            profiles.members[mentor] = member("Lea\r\nBcc: x@example.com")
            profiles.members[mentee] = member("Sam\x1b[2J\x07", preferred_language="en")
            settings = make_settings(profiles_url=profiles.base, smtp_url=sink.url)
            log = await announce(settings, mentor, mentee)
    finally:
        sink.stop()

    email = [d for d in log["items"] if d["channel"] == "email"]
    assert {d["status"] for d in email} == {"sent"}, email
    assert len(sink.received) == 2, "one recipient per message, nobody in Bcc"
    assert sorted(r.to for r in sink.received) == sorted(
        profiles.members[m]["email"] for m in (mentor, mentee)
    )
    for received in sink.received:
        assert received.message["Bcc"] is None
        for name, value in received.message.items():
            unfolded = value.replace("\r\n", "").replace("\n", "")
            assert not CONTROL.search(unfolded), f"control character in {name}: {value!r}"
    subjects = {" ".join(r.subject.split()) for r in sink.received}
    assert subjects == {
        "Entraide: Lea Bcc: x@example.com will be your mentor",
        "Entraide : vous accompagnez Sam [2J",
    }
