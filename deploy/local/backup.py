"""Backup and restore: each service's database, then the JetStream streams.

The runbook is ``docs/OPERATIONS.md`` ("Backup and restore"); ``entraide backup --to DIR``
and ``entraide restore --from DIR --part databases|streams`` follow it, and
``tests/integration/test_backup_restore.py`` follows both.

* A SQLite database is copied with SQLite's online backup API (a consistent snapshot
  while the service writes; never a plain copy of a live file and its WAL); a
  PostgreSQL database with ``pg_dump --format=custom``, restored by ``pg_restore``.
* The streams are read through the JetStream API as the ``operator`` NATS user (an
  ephemeral consumer that acknowledges nothing, so the services' consumers are not
  touched) and written one JSON line per message (subject, headers, body). A restore
  creates each stream with its configuration and publishes its messages again, in order.
* Databases first, then streams: every outbox row a database backup shows as published
  is then in the streams' backup.
"""

from __future__ import annotations

import base64
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.client import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy.engine import make_url

from deploy.local.postgres import bindir
from services import matcher, notifier, portal, profiles
from shared.settings import Settings

#: Each service's database, in the order they are backed up and restored.
DATABASES: Final = {
    profiles.SERVICE: profiles.db_url,
    matcher.SERVICE: matcher.db_url,
    notifier.SERVICE: notifier.db_url,
    portal.SERVICE: portal.db_url,
}
MANIFEST: Final = "manifest.json"
FETCH_BATCH: Final = 500


class BackupError(RuntimeError):
    """A backup or a restore that cannot go on (the message says why)."""


@dataclass(frozen=True)
class Database:
    service: str
    url: str

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.url).get_backend_name() == "sqlite"

    @property
    def path(self) -> Path:
        return Path(make_url(self.url).database or "")

    @property
    def libpq_url(self) -> str:
        """The URL for pg_dump / pg_restore (no SQLAlchemy driver name)."""
        return make_url(self.url).set(drivername="postgresql").render_as_string(False)

    def file_name(self) -> str:
        return f"{self.service}.db" if self.is_sqlite else f"{self.service}.pgdump"


def databases(settings: Settings) -> list[Database]:
    return [Database(service, url(settings)) for service, url in DATABASES.items()]


def pg_tool(name: str) -> str:
    """``pg_dump`` or ``pg_restore``: on the PATH, else the newest PostgreSQL install."""
    found = shutil.which(name)
    if found:
        return found
    try:
        return str(bindir() / name)
    except FileNotFoundError as exc:
        raise BackupError(f"{name} not found: install the PostgreSQL client tools") from exc


def sqlite_copy(source: Path, target: Path) -> None:
    """Copy the SQLite database ``source`` to ``target`` with SQLite's backup API."""
    if not source.exists():
        raise BackupError(f"no database at {source}")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_database(db: Database, folder: Path) -> None:
    target = folder / db.file_name()
    if db.is_sqlite:
        sqlite_copy(db.path, target)
        return
    command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}"]
    _run([*command, f"--dbname={db.libpq_url}"], db.service)


def restore_database(db: Database, folder: Path) -> None:
    """Replace ``db`` with its copy in ``folder`` (the service must be stopped)."""
    source = folder / db.file_name()
    if not source.exists():
        raise BackupError(f"{source} is missing from the backup")
    if db.is_sqlite:
        db.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (db.path, Path(f"{db.path}-wal"), Path(f"{db.path}-shm")):
            stale.unlink(missing_ok=True)
        sqlite_copy(source, db.path)
        return
    command = [pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
    _run([*command, "--single-transaction", f"--dbname={db.libpq_url}", str(source)], db.service)


def _run(command: list[str], service: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise BackupError(f"{service}: {Path(command[0]).name} failed: {done.stderr.strip()}")


def _message_line(msg: Any) -> str:
    return json.dumps(
        {
            "seq": msg.metadata.sequence.stream,
            "subject": msg.subject,
            "headers": msg.headers or {},
            "data": base64.b64encode(msg.data).decode(),
        }
    )


async def backup_stream(js: JetStreamContext, name: str, folder: Path) -> int:
    """Write stream ``name`` (its configuration, then each message) to ``<name>.jsonl``."""
    info = await js.stream_info(name)
    total = info.state.messages
    config = ConsumerConfig(
        ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL, inactive_threshold=60
    )
    consumer = await js.add_consumer(name, config)
    sub = await js.pull_subscribe_bind(consumer.name, stream=name)
    copied = 0
    with open(folder / f"{name}.jsonl", "w") as out:
        out.write(json.dumps({"config": info.config.as_dict()}) + "\n")
        try:
            while copied < total:
                for msg in await sub.fetch(min(FETCH_BATCH, total - copied), timeout=10):
                    out.write(_message_line(msg) + "\n")
                    copied += 1
        finally:
            await sub.unsubscribe()
            await js.delete_consumer(name, consumer.name)
    return copied


async def restore_stream(js: JetStreamContext, file: Path) -> int:
    """Create the stream written in ``file`` and publish its messages again, in order.

    Refuses a stream that already holds messages: the restore would duplicate them.
    """
    with open(file) as lines:
        head = json.loads(next(lines))["config"]
        head["metadata"] = {
            k: v for k, v in (head.get("metadata") or {}).items() if not k.startswith("_nats")
        }
        config = StreamConfig.from_response(head)
        try:
            held = (await js.stream_info(config.name or "")).state.messages
        except NotFoundError:
            await js.add_stream(config)
        else:
            if held:
                raise BackupError(f"stream {config.name} already holds {held} messages")
            await js.update_stream(config)
        count = 0
        for line in lines:
            record = json.loads(line)
            data = base64.b64decode(record["data"])
            await js.publish(record["subject"], data, headers=record["headers"] or None)
            count += 1
    return count


def write_manifest(folder: Path, settings: Settings, streams: dict[str, int]) -> None:
    manifest = {
        "created_at": datetime.now(UTC).isoformat(),
        "databases": {db.service: db.file_name() for db in databases(settings)},
        "streams": streams,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        return dict(json.loads((folder / MANIFEST).read_text()))
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} is not a backup: no {MANIFEST}") from exc


async def backup(settings: Settings, js: JetStreamContext, folder: Path) -> dict[str, int]:
    """Back up every database, then every stream, into ``folder`` (created; must be empty).

    Returns the number of messages copied per stream.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    for db in databases(settings):
        backup_database(db, folder)
    streams: dict[str, int] = {}
    async for name in _stream_names(js):
        streams[name] = await backup_stream(js, name, folder)
    write_manifest(folder, settings, streams)
    return streams


async def _stream_names(js: JetStreamContext) -> Any:
    for info in await js.streams_info():
        yield info.config.name


def restore_databases(settings: Settings, folder: Path) -> list[str]:
    """Step 2 of a restore (services stopped): put every database back from ``folder``."""
    read_manifest(folder)
    restored = []
    for db in databases(settings):
        restore_database(db, folder)
        restored.append(db.service)
    return restored


async def restore_streams(js: JetStreamContext, folder: Path) -> dict[str, int]:
    """Step 3 of a restore (broker up, services stopped): every stream from ``folder``."""
    manifest = read_manifest(folder)
    files = {name: folder / f"{name}.jsonl" for name in manifest["streams"]}
    return {name: await restore_stream(js, file) for name, file in files.items()}


async def _cmd(args: Any) -> int:
    from deploy.local.operator import operator_jetstream
    from shared.settings import get_settings

    settings, folder = get_settings(), Path(args.folder)
    if args.command == "backup":
        async with operator_jetstream(settings) as js:
            streams = await backup(settings, js, folder)
        print(f"sauvegarde écrite dans {folder} : bases {', '.join(DATABASES)} ; flux {streams}")
        return 0
    if args.part in ("databases", "all"):
        print(f"bases restaurées : {', '.join(restore_databases(settings, folder))}")
    if args.part in ("streams", "all"):
        async with operator_jetstream(settings) as js:
            print(f"flux restaurés (messages) : {await restore_streams(js, folder)}")
    return 0


def cmd_backup(args: Any) -> int:
    import asyncio
    import sys

    try:
        return asyncio.run(_cmd(args))
    except BackupError as exc:
        print(f"entraide {args.command} : {exc}", file=sys.stderr)
        return 1


def add_backup_commands(sub: Any) -> None:
    """The ``backup`` and ``restore`` sub-commands of ``entraide`` (docs/OPERATIONS.md)."""
    save = sub.add_parser("backup", help="back up the databases, then the streams (operator)")
    save.add_argument("--to", dest="folder", required=True, help="an empty or new folder")
    save.set_defaults(func=cmd_backup, command="backup")
    back = sub.add_parser("restore", help="restore a backup (services stopped; operator)")
    back.add_argument("--from", dest="folder", required=True, help="a folder `backup` wrote")
    back.add_argument(
        "--part",
        choices=("databases", "streams", "all"),
        default="all",
        help="databases: services stopped; streams: broker up, services stopped",
    )
    back.set_defaults(func=cmd_backup, command="restore")
