"""A real PostgreSQL server for the tests, started from this machine's server binaries.

PostgreSQL refuses to run as root, so when the tests run as root the server runs as the
unprivileged user ``nobody``, in a temporary folder it owns. It listens
on 127.0.0.1 at a free port and on a socket in that folder; authentication is ``trust`` (only
this machine can reach it, and only for the tests' lifetime). Durability is off (``fsync``):
the tests restart the server cleanly or kill the bot, never the machine.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg

RUN_AS = "nobody"


def server_binaries() -> Path:
    """The folder with ``initdb`` and ``postgres``: PG_BIN, Debian's (the newest version),
    or the one on PATH."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                    key=lambda folder: int(folder.parent.name) if folder.parent.name.isdigit()
                    else 0, reverse=True)
    for folder in (os.environ.get("PG_BIN"), *debian):
        if folder and (Path(folder) / "postgres").is_file():
            return Path(folder)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL server binaries not found: install postgresql (Debian: "
                       "apt-get install postgresql) or set PG_BIN to the folder of initdb")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One server in a temporary folder: ``start()``, ``url(database)``, ``stop()``."""

    def __init__(self) -> None:
        self.bin = server_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="qa-postgres-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(self.root, RUN_AS)
        self.root.chmod(0o700)
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                   "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"])

    def _as_user(self) -> dict[str, object]:
        """``subprocess`` options that run a program as ``nobody`` when we are root (set in
        the child before it starts, so signals reach the server itself)."""
        return {"user": RUN_AS, "group": "nogroup", "extra_groups": []} if self._as_root else {}

    def _run(self, args: list[str]) -> None:
        subprocess.run(args, check=True, capture_output=True, cwd=self.root,
                       **self._as_user())  # type: ignore[call-overload]

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-k", str(self.root), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
             "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
             "-c", "max_connections=200"],
            stdout=log, stderr=log, cwd=self.root, **self._as_user())  # type: ignore[call-overload]
        deadline = time.monotonic() + 60
        while True:
            try:
                with psycopg.connect(self.url(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start:\n" + self.log_tail()) from None
                time.sleep(0.05)

    def stop(self) -> None:
        """A fast shutdown (SIGINT): clients are disconnected, the data is kept."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(2)
            self.process.wait(timeout=60)
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        name = f"qa_{secrets.token_hex(6)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def log_tail(self, lines: int = 30) -> str:
        path = self.root / "server.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if (
            path.exists()) else ""


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.close()
