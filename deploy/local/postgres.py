"""A private PostgreSQL (Debian's ``postgresql`` package) for ``entraide up --cluster``.

The same steps as ``.ci/start-postgres``: ``initdb`` in a folder of ours (trust on
127.0.0.1 only), ``pg_ctl start`` on a private port, then one database per service.
When run as root the server runs as the ``postgres`` user, as PostgreSQL requires.
The fault suite also makes it listen on its bridge's address (``hosts``) and trusts
that private subnet (``trusted``), so that replicas in network namespaces reach it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

DATABASES = ("profiles", "matcher", "notifier", "portal")


def bindir() -> Path:
    """The newest installed PostgreSQL's binaries (Debian's layout)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()],
    )
    if not found or not (found[-1] / "postgres").exists():
        raise FileNotFoundError("PostgreSQL not found: apt-get install postgresql")
    return found[-1]


@dataclass
class Postgres:
    data_dir: Path
    port: int
    #: Addresses it listens on (the first one is the one in :meth:`url`).
    hosts: tuple[str, ...] = ("127.0.0.1",)
    #: A subnet trusted besides 127.0.0.1 (e.g. the fault suite's bridge, 198.18.0.0/24).
    trusted: str = ""

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@{self.hosts[0]}:{self.port}/{database}"

    def start(self) -> Postgres:
        binaries = bindir()
        fresh = not (self.data_dir / "PG_VERSION").exists()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data_dir, "postgres")
            os.chmod(self.data_dir, 0o700)
        if fresh:
            self._run(
                str(binaries / "initdb"), "-D", str(self.data_dir), "--auth=trust", "-U", "postgres"
            )
            if self.trusted:
                with open(self.data_dir / "pg_hba.conf", "a") as hba:
                    hba.write(f"host all all {self.trusted} trust\n")
        self._run(
            str(binaries / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.data_dir / "server.log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.data_dir} -c listen_addresses={','.join(self.hosts)}",
            "start",
        )
        if fresh:
            for name in DATABASES:
                self._run(
                    str(binaries / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    name,
                )
        return self

    def restart(self) -> None:
        self._run(str(bindir() / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        subprocess.run(
            [
                *(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                str(bindir() / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-m",
                "fast",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
