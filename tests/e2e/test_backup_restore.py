"""The backup and restore runbook (docs/OPERATIONS.md), followed step by step.

A whole stack runs (nats-server and the four services as processes) on SQLite, then on
PostgreSQL when ``ENTRAIDE_TEST_POSTGRES_URL`` is set: members are created, a round is
published and announced. ``entraide backup`` runs while the stack is up; a member added
afterwards is what a restore gives up. The stack stops, its databases and its JetStream
store are lost, ``entraide restore`` puts them back (databases, then the streams into a
bare nats-server), and the stack starts again: everything acknowledged before the
backup is back, the projection and the inboxes agree with the restored profiles, and the
replay of the streams told nobody twice.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nats
import pytest
from sqlalchemy import create_engine, text

from deploy.local import backup
from deploy.local.nats_server import NatsServer, free_port, local_passwords
from deploy.local.smtp_sink import SmtpSink
from deploy.local.stack import Stack
from deploy.local.synthetic import community
from shared import subjects
from shared.auth import mint_token
from shared.nats_access import OPERATOR
from shared.settings import Settings
from tests.conftest import fresh_postgres_database
from tests.e2e.test_full_flow import wait
from tests.support import local_stack_settings

pytestmark = [pytest.mark.e2e, pytest.mark.nats, pytest.mark.timeout(900)]

#: The durable consumers whose work the checks read (they must have caught up).
CONSUMERS = (
    (subjects.STREAM_MEMBERS, subjects.DURABLE_MATCHER_MEMBERS),
    (subjects.STREAM_MATCHES, subjects.DURABLE_NOTIFIER_MATCHES),
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def databases(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The stack's databases: SQLite files in its folder, or one PostgreSQL database per
    service (given to the service processes through their ``ENTRAIDE_*_DB_URL``)."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    server = str(request.getfixturevalue("postgres_server_url"))
    with (
        fresh_postgres_database(server) as profiles,
        fresh_postgres_database(server) as matcher,
        fresh_postgres_database(server) as notifier,
        fresh_postgres_database(server) as portal,
    ):
        urls = {"profiles": profiles, "matcher": matcher, "notifier": notifier, "portal": portal}
        for service, url in urls.items():
            monkeypatch.setenv(f"ENTRAIDE_{service.upper()}_DB_URL", url)
        yield "postgres"


def entraide(stack: Stack, *args: str) -> str:
    """Run ``entraide ARGS`` as an operator on the stack's machine would."""
    env = stack.env()
    env["ENTRAIDE_OPERATOR_NATS_PASSWORD"] = local_passwords(stack.nats_folder)[OPERATOR]
    done = subprocess.run(
        [sys.executable, "-m", "deploy.local.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_restore_brings_back_everything_acknowledged_before_the_backup(
    tmp_path: Path, databases: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with SmtpSink(port=free_port()) as sink:
        settings = local_stack_settings(tmp_path / "data", sink.port)
        monkeypatch.setenv("ENTRAIDE_SMTP_URL", settings.smtp_url)
        stack = Stack(settings)
        try:
            stack.start(timeout=120)
            before = state(stack, settings, populate(stack, settings))
            entraide(stack, "backup", "--to", str(tmp_path / "backup"))
            late = add_late_member(stack, settings, "Tardif")  # acknowledged after the backup
            wait(lambda: count(stack, settings) == before["matcher_count"] + 1)
            sent = sum(sink.per_key().values())
            stack.stop()

            lose_everything(stack, settings)
            entraide(stack, "restore", "--from", str(tmp_path / "backup"), "--part", "databases")
            with NatsServer(stack.nats_folder, port=settings.nats_port):
                entraide(stack, "restore", "--from", str(tmp_path / "backup"), "--part", "streams")
            stack.start(timeout=120)  # every service ready again

            streams, replayed = asyncio.run(caught_up(settings))
            assert streams == backup.read_manifest(tmp_path / "backup")["streams"]
            assert streams[subjects.STREAM_MEMBERS] >= 30 and streams[subjects.STREAM_MATCHES]
            assert replayed, "the consumers did not read the restored streams again"
            after = state(stack, settings, before["round_id"])
            assert after == before
            assert late not in {m["id"] for m in after["members"]}
            assert sum(sink.per_key().values()) == sent, "the replay sent e-mails again"
            assert max(sink.per_key().values()) == 1
        finally:
            stack.stop()


def coordinator(settings: Settings) -> httpx.Client:
    token = mint_token(settings, "hr", ("coordinator",))
    return httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"})


def people(http: httpx.Client, stack: Stack, n: int, seed: int) -> list[dict[str, Any]]:
    catalogue = http.get(stack.url("profiles") + "/skills", params={"limit": 500}).json()
    skills = [s["code"] for s in catalogue["items"]]
    return [
        {k: v for k, v in p.items() if k != "manager_index"}
        for p in community(n, skill_codes=skills, seed=seed)
    ]


def add_member(http: httpx.Client, stack: Stack, person: dict[str, Any]) -> str:
    r = http.post(stack.url("profiles") + "/members", json=person)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def add_late_member(stack: Stack, settings: Settings, name: str) -> str:
    with coordinator(settings) as http:
        person = people(http, stack, 1, seed=9)[0]
        person.update(display_name=name, email=f"{name.lower()}@example.org")
        return add_member(http, stack, person)


def count(stack: Stack, settings: Settings) -> int:
    with coordinator(settings) as http:
        return int(http.get(stack.url("matcher") + "/members/count").json()["members"])


def populate(stack: Stack, settings: Settings) -> str:
    """30 members, a mentoring round published and announced; the round's id."""
    with coordinator(settings) as http:
        for person in people(http, stack, 30, seed=5):
            add_member(http, stack, person)
        wait(lambda: count(stack, settings) == 30)
        body = {"client_request_id": "backup-1", "kind": "mentoring", "parameters": {}}
        rid = str(http.post(stack.url("matcher") + "/rounds", json=body).json()["id"])
        url = stack.url("matcher") + f"/rounds/{rid}"
        wait(lambda: http.get(url).json()["state"] in ("proposed", "failed"))
        assert http.post(url + "/publish").json()["state"] == "published"
        wait(lambda: announced(http, stack, rid), timeout=120)
    return rid


def announced(http: httpx.Client, stack: Stack, rid: str) -> bool:
    r = http.get(stack.url("notifier") + f"/rounds/{rid}/deliveries?limit=500")
    if r.status_code == 404:
        return False
    counts = r.json()["counts"]
    return bool(counts.get("sent")) and not any(
        counts.get(s) for s in ("pending", "claimed", "sending")
    )


def state(stack: Stack, settings: Settings, rid: str) -> dict[str, Any]:
    """What the services hold: the members, the projection, the round, the announcements."""
    with coordinator(settings) as http:
        members = http.get(stack.url("profiles") + "/members/export").json()
        matches = http.get(stack.url("matcher") + f"/rounds/{rid}/matches?limit=500").json()
        log = http.get(stack.url("notifier") + f"/rounds/{rid}/deliveries?limit=500").json()
        member = matches["items"][0]["members"][0]
        token = mint_token(settings, member, ("member",))
        inbox = http.get(
            stack.url("notifier") + "/inbox", headers={"Authorization": f"Bearer {token}"}
        ).json()
    return {
        "round_id": rid,
        "members": sorted(members, key=lambda m: m["id"]),
        "matcher_count": count(stack, settings),
        "matches": matches["items"],
        "deliveries": sorted(log["items"], key=lambda d: (d["member_id"], d["channel"])),
        "inbox": inbox["items"],
    }


def lose_everything(stack: Stack, settings: Settings) -> None:
    """The disaster: every database and the JetStream store are gone."""
    shutil.rmtree(stack.nats_folder / "jetstream")
    for db in backup.databases(settings):
        if db.is_sqlite:
            for path in db.path.parent.glob(db.path.name + "*"):
                path.unlink()
        else:
            engine = create_engine(db.url)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()


async def caught_up(settings: Settings, timeout: float = 120.0) -> tuple[dict[str, int], bool]:
    """Wait until the consumers read here have replayed the restored streams; the number
    of messages in each stream, and whether those consumers read each stream to its end."""
    password = local_passwords(settings.data_dir / "nats")[OPERATOR]
    nc = await nats.connect(settings.broker_url, user=OPERATOR, password=password)
    js = nc.jetstream()
    try:
        async with asyncio.timeout(timeout):
            replayed = True
            for stream, durable in CONSUMERS:
                while True:
                    info = await js.consumer_info(stream, durable)
                    if info.num_pending == 0 and info.num_ack_pending == 0:
                        break
                    await asyncio.sleep(0.2)
                last = (await js.stream_info(stream)).state.last_seq
                replayed = replayed and info.delivered.stream_seq == last
            streams = {i.config.name: i.state.messages for i in await js.streams_info()}
            return {str(k): v for k, v in streams.items()}, replayed
    finally:
        await nc.close()
