"""A data disk that turns full or read-only: loud (503, not ready), and nothing acknowledged lost.

Each test mounts a small tmpfs of its own (16 MiB) for the service's SQLite file, fills it
or remounts it read-only, and puts it back; the mount is always removed in a
``finally``. Mounting needs root on Linux: elsewhere the tests skip with that reason
(and fail under CI=true).
"""

from __future__ import annotations

import asyncio
import errno
import gc
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
from sqlalchemy import Engine

from services.matcher.main import create_app as matcher_app
from services.profiles.main import create_app as profiles_app
from shared.dead_letters import DeadLetter, dead_letters
from tests.integration.profiles.profiles_support import member_payload
from tests.matcher_support import community, publish_all, wait_projected
from tests.support import bearer, eventually, running

pytestmark = pytest.mark.nats


class Disk:
    """A small tmpfs (16 MiB: the databases and their WAL fit) mounted for one test."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.filler = path / "filler.bin"

    def _mount(self, *args: str) -> None:
        subprocess.run(["mount", *args], check=True, capture_output=True, text=True)

    async def read_only(self, engine: Engine) -> None:
        """Remount read-only under the running service. Linux refuses while a file is
        open for writing, and SQLite keeps its file open: the engine's idle connections
        are closed (as a pool recycle would) until the remount goes through. A connection
        checked out during a ``dispose()`` goes back to the old pool, which holds it open
        until that pool is garbage-collected (it sits in a reference cycle): collect."""
        for _ in range(200):
            engine.dispose()
            gc.collect()
            try:
                self._mount("-o", "remount,ro", str(self.path))
                return
            except subprocess.CalledProcessError:
                await asyncio.sleep(0.05)
        held = [
            os.readlink(f"/proc/self/fd/{fd}")
            for fd in os.listdir("/proc/self/fd")
            if os.path.exists(f"/proc/self/fd/{fd}")
            and os.readlink(f"/proc/self/fd/{fd}").startswith(str(self.path))
        ]
        raise AssertionError(f"the disk stayed busy: cannot remount it read-only: {held}")

    def writable(self) -> None:
        self._mount("-o", "remount,rw", str(self.path))

    def fill(self) -> None:
        """Write until the disk has no byte left."""
        for name, block in (("filler.bin", 65536), ("last.bin", 1)):
            fd = os.open(self.path / name, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                while True:
                    os.write(fd, b"\0" * block)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
            finally:
                os.close(fd)

    def empty(self) -> None:
        self.filler.unlink()
        (self.path / "last.bin").unlink(missing_ok=True)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Disk]:
    path = tmp_path / "disk"
    path.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    if mounted.returncode != 0:
        reason = f"cannot mount a tmpfs here (needs root on Linux): {mounted.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield Disk(path)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(path)], capture_output=True)
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


async def _post(client: Any, hr: dict[str, str]) -> Any:
    return await client.post("/members", json=member_payload(), headers=hr)


def _is_storage_problem(r: Any) -> bool:
    body = r.json()
    return (
        r.status_code == 503
        and r.headers["content-type"].startswith("application/problem+json")
        and body["code"] == "storage_unavailable"
        and "disque" in body["detail"]
        and r.headers.get("retry-after") == "30"
    )


async def test_a_full_then_read_only_disk_answers_503_is_not_ready_and_loses_no_201(
    make_settings: Any, disk: Disk
) -> None:
    db = disk.path / "profiles.db"
    settings = make_settings(profiles_db_url=f"sqlite:///{db}")
    hr = bearer(settings, "hr", "coordinator")
    created: list[str] = []
    async with running(profiles_app(settings)) as client:
        for _ in range(5):
            r = await _post(client, hr)
            assert r.status_code == 201, r.text
            created.append(r.json()["id"])
        assert (await client.get("/readyz")).status_code == 200

        engine = client._transport.app.state.engine  # type: ignore[attr-defined]

        async def full() -> None:
            disk.fill()

        async def read_only() -> None:
            await disk.read_only(engine)

        async def refusal(headers: dict[str, str]) -> Any:
            """The first answer that is not a 201. On a full disk a write still fits while
            the WAL has room (its frames are reused once checkpointed in the background,
            shared.wal_checkpoint); such a 201 is on disk like any other, and is kept."""
            for _ in range(50):
                r = await client.post("/members", json=member_payload(), headers=headers)
                if r.status_code != 201:
                    return r
                created.append(r.json()["id"])
            return r

        for fault, repair in ((full, disk.empty), (read_only, disk.writable)):
            await fault()
            refused = await refusal(hr)
            assert _is_storage_problem(refused), (refused.status_code, refused.text)
            ready = await client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["checks"]["storage"] is False
            english = await refusal({**hr, "Accept-Language": "en"})
            assert english.status_code == 503 and "disk" in english.json()["detail"]
            repair()
            assert (await client.get("/readyz")).status_code == 200
            again = await _post(client, hr)
            assert again.status_code == 201, again.text
            created.append(again.json()["id"])

        for member_id in created:
            assert (await client.get(f"/members/{member_id}", headers=hr)).status_code == 200
    # a new process reads the same file: every member answered 201 is there
    async with running(profiles_app(settings)) as client:
        for member_id in created:
            assert (await client.get(f"/members/{member_id}", headers=hr)).status_code == 200


async def test_member_events_arriving_while_the_disk_is_read_only_are_projected_once_it_returns(
    make_settings: Any, nats_server: Any, disk: Disk, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(matcher_db_url=f"sqlite:///{disk.path / 'matcher.db'}")
    hr = bearer(settings, "hr", "coordinator")
    tag = f"ro{os.getpid()}{id(disk) % 10_000}"
    people = community(15, tag, seed=3)
    async with running(matcher_app(settings)) as client:
        await publish_all(nats_server.url, people[:5])
        await wait_projected(client, hr, 5)
        await disk.read_only(client._transport.app.state.engine)  # type: ignore[attr-defined]
        try:
            await publish_all(nats_server.url, people[5:])

            async def not_ready() -> bool:
                r = await client.get("/readyz")
                return r.status_code == 503 and r.json()["checks"]["storage"] is False

            await eventually(not_ready)

            def nacked() -> bool:  # the consumer met the fault: NACKed, not acknowledged
                return any("storage fault" in r.getMessage() for r in caplog.records)

            await eventually(nacked, timeout=20)
        finally:
            disk.writable()
        await wait_projected(client, hr, 15)  # redelivered after the NACK delays

        async def all_mine() -> bool:  # these very members (the session's stream has more)
            for person in people:
                r = await client.get(f"/members/{person.member_id}", headers=hr)
                if r.status_code != 200:
                    return False
            return True

        await eventually(all_mine, timeout=60)
        assert (await client.get("/readyz")).status_code == 200
    # a storage fault is not poison: none of these members' events was dead-lettered
    assert [d.seq for d in await _dead_letters(nats_server.url) if tag.encode() in d.body] == []


async def _dead_letters(url: str) -> list[DeadLetter]:
    nc = await nats.connect(url)
    try:
        return await dead_letters(nc.jetstream())
    finally:
        await nc.close()
