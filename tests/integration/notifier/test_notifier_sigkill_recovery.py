"""The notifier as a real process, killed with SIGKILL in the middle of a round and
restarted: every member is told exactly once (counted by recipient and by the
``X-Entraide-Message-Key`` header at the SMTP server). The messages in flight at the
kill never reached their commit point, so the server dropped them (no terminator)
and the resend after the restart is their only copy."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest

from deploy.local.nats_server import free_port
from deploy.local.smtp_sink import SmtpSink
from services.notifier.domain.deliveries import RESUMED
from services.profiles.main import create_app as profiles_app
from shared.events import Explanation, MentoringPairMatched
from tests.integration.notifier.receivers import member_payload, serving, wait_until
from tests.support import bearer, operator_url

pytestmark = pytest.mark.nats

ROOT = Path(__file__).resolve().parents[3]
WORKERS = 4
#: The main process and one more dispatcher (the default): the kill takes the main one
#: down at once; the other, told by SIGTERM, stops after its scan in progress.
PROCESSES = 2
PAIRS = 40


class NotifierProcess:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "services.notifier"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "notifier not ready"
            time.sleep(0.1)

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    # A slow relay keeps the batch in progress; most of the wait is between the end of
    # the message and the 250 reply, where a client without a commit point before the
    # terminator would resend what the server already has.
    s = SmtpSink(rcpt_delay_s=0.01, data_delay_s=0.05).start()
    yield s
    s.stop()


async def test_a_notifier_killed_mid_round_tells_every_member_after_restart(
    make_settings: Any, sink: SmtpSink, tmp_path: Path
) -> None:
    settings = make_settings(smtp_url=sink.url)
    port = free_port()
    env = {
        **os.environ,
        "ENTRAIDE_ENV": "test",
        "ENTRAIDE_DATA_DIR": str(tmp_path),
        "ENTRAIDE_NATS_URL": settings.broker_url,
        "ENTRAIDE_NOTIFIER_NATS_PASSWORD": settings.nats_password("notifier"),
        "ENTRAIDE_NOTIFIER_PORT": str(port),
        "ENTRAIDE_PROFILES_URL": f"http://127.0.0.1:{settings.profiles_port}",
        "ENTRAIDE_SMTP_URL": sink.url,
        "ENTRAIDE_RETRY_BASE_S": "0.2",
        "ENTRAIDE_MAX_ATTEMPTS": "30",
        "ENTRAIDE_NOTIFIER_WORKERS": str(WORKERS),
        "ENTRAIDE_NOTIFIER_PROCESSES": str(PROCESSES),
        "ENTRAIDE_NOTIFIER_LEASE_S": "2",
        "ENTRAIDE_NOTIFIER_SETTLE_S": "0.3",
        "ENTRAIDE_NOTIFIER_POLL_INTERVAL_S": "0.1",
    }
    notifier = NotifierProcess(env, port, tmp_path / "notifier.log")
    round_id = f"round-kill-{uuid.uuid4().hex[:8]}"
    hr = bearer(settings, "hr", "coordinator")
    async with serving(profiles_app(settings), settings.profiles_port) as base:
        async with httpx.AsyncClient(base_url=base) as profiles:
            members: list[str] = []
            address: dict[str, str] = {}
            for i in range(2 * PAIRS):
                body = member_payload(f"Membre {i}", f"kill-{uuid.uuid4().hex[:8]}@example.com")
                r = await profiles.post("/members", json=body, headers=hr)
                assert r.status_code == 201, r.text
                members.append(r.json()["id"])
                address[r.json()["id"]] = body["email"]
        notifier.start()
        try:
            nc = await nats.connect(operator_url(settings))
            js = nc.jetstream()
            for i in range(PAIRS):
                event = MentoringPairMatched(
                    producer="matcher", match_id=f"{round_id}-{i}", round_id=round_id,
                    mentor_id=members[2 * i], mentee_id=members[2 * i + 1],
                    explanation=Explanation(reasons=("cross_site",)),
                )  # fmt: skip
                await js.publish(event.subject, event.model_dump_json().encode())
            await nc.close()

            await wait_until(lambda: len(sink.received) >= PAIRS // 2, what="first emails")
            notifier.kill()
            at_kill = len(sink.received)
            assert 0 < at_kill < 2 * PAIRS, "the kill must land in the middle of the round"

            notifier.start()

            async def settled() -> dict[str, Any] | None:
                async with httpx.AsyncClient() as c:
                    r = await c.get(
                        f"http://127.0.0.1:{port}/rounds/{round_id}/deliveries?limit=500",
                        headers=hr,
                    )
                log = r.json()
                busy = sum(log["counts"][s] for s in ("pending", "claimed", "sending"))
                return log if busy == 0 and log["total"] == 6 * PAIRS else None

            log = await wait_until(settled, timeout=40, what="round fully delivered")
        finally:
            notifier.stop()

    await asyncio.sleep(0.5)  # nothing more may arrive
    email_rows = {d["member_id"]: d for d in log["items"] if d["channel"] == "email"}
    assert {d["status"] for d in email_rows.values()} == {"sent"}
    told, keys = sink.per_recipient(), sink.per_key()
    resumed = {m for m, d in email_rows.items() if d["reason"] == RESUMED}
    print(f"\nkilled after {at_kill} emails; resumed after the restart: {len(resumed)}; "
          f"emails {len(sink.received)} for {len(members)} members; "
          f"max per recipient {max(told.values())}, per key {max(keys.values())}")  # fmt: skip
    assert sorted(told) == sorted(address.values()), "every member told"
    assert set(told.values()) == {1}, "nobody told twice"
    assert len(keys) == 2 * PAIRS and set(keys.values()) == {1}, "each message key once"
    assert len(sink.received) == 2 * PAIRS
    # Only messages in flight at the kill (or whose 2 s lease ran out while the other
    # process finished its scan) were resumed: at most one per worker of each process.
    assert len(resumed) <= WORKERS * PROCESSES
