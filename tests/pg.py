"""A throwaway local PostgreSQL server for the tests: `initdb` into a fresh folder, `pg_ctl start` on a
free 127.0.0.1 port (its unix socket in the same folder), one database per caller, `pg_ctl stop` at the end.

PostgreSQL refuses to run as root, so under root the server runs as an unprivileged account
(`postgres` when the Debian package created it, else `nobody`) that owns the folder. The binaries are
looked up on PATH, then under /usr/lib/postgresql/*/bin (Debian's layout), newest version first.
"""
from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from glob import glob
from pathlib import Path

import psycopg

#: Accounts tried, in order, to run the server when the tests run as root.
SERVER_USERS = ("postgres", "nobody")


class PostgresUnavailable(RuntimeError):
    pass


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL server binary (initdb, pg_ctl)."""
    found = shutil.which(name)
    if found:
        return found
    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path))
    for folder in sorted(glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True):
        if os.access(Path(folder) / name, os.X_OK):
            return str(Path(folder) / name)
    raise PostgresUnavailable(f"{name} not found on PATH or under /usr/lib/postgresql/*/bin: "
                              "install the Debian package `postgresql` (scripts/system-deps.sh)")


def _server_account() -> pwd.struct_passwd | None:
    """The account to run the server as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in SERVER_USERS:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresUnavailable(f"running as root and none of the accounts {', '.join(SERVER_USERS)} exists "
                              "to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LocalPostgres:
    """One server; use as a context manager. `create_database(name)` returns a SQLAlchemy URL."""

    superuser = "govaudit"

    def __init__(self) -> None:
        self.account = _server_account()
        # the server account must reach the folder: under root, /tmp rather than a private $TMPDIR
        self.folder = Path(tempfile.mkdtemp(prefix="govaudit-pg-", dir="/tmp" if self.account else None))
        self.watchdog: subprocess.Popen | None = None
        self.data = self.folder / "data"
        self.port = _free_port()

    def _as_server(self) -> dict:
        """subprocess arguments that run a command as the server account, in the folder."""
        user = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []} if self.account else {}
        return {"env": {**os.environ, "LC_ALL": "C", "HOME": str(self.folder)}, "cwd": self.folder, **user}

    def _run(self, *args: str, timeout: float = 60) -> None:
        """Run a server binary as the server account; a failure raises with its output."""
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **self._as_server())
        if result.returncode != 0:
            raise PostgresUnavailable(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def start(self) -> LocalPostgres:
        if self.account:
            os.chown(self.folder, self.account.pw_uid, self.account.pw_gid)
        self._run(pg_bin("initdb"), "-D", str(self.data), "-U", self.superuser, "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        # a server clock not in UTC (as on a Chinese host) checks that the store does not depend on it
        options = (f"-F -c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c timezone=Asia/Shanghai "
                   "-c max_connections=300")
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options,
                  "-w", "-t", "60", "start")
        self._watch()
        return self

    def _watch(self) -> None:
        """Stop the server and remove its folder should the tests die without tearing down (SIGKILL, timeout)."""
        script = (f'while [ -d /proc/{os.getpid()} ]; do sleep 2; done; '
                  f'"{pg_bin("pg_ctl")}" -D "{self.data}" -m immediate stop; rm -rf "{self.folder}"')
        self.watchdog = subprocess.Popen(["sh", "-c", script], start_new_session=True, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, **self._as_server())

    def stop(self) -> None:
        if self.watchdog:
            self.watchdog.kill()
            self.watchdog.wait()
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.superuser}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database (dropped first if it exists) and its URL."""
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user={self.superuser} dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def __enter__(self) -> LocalPostgres:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def database_name(text: str) -> str:
    """A PostgreSQL database name from a test id: lower-case word characters, at most 63 bytes."""
    return re.sub(r"\W+", "_", text.lower()).strip("_")[-63:] or "db"
