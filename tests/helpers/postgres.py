"""A throwaway PostgreSQL server for the test run: initdb in a temporary directory, loopback only."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _binaries() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(candidate, "initdb")):
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresUnavailable("PostgreSQL server binaries (initdb) not found; `make test` installs them")


# The suite's server keeps its data in memory when /dev/shm has room: it runs with fsync off already
# (nothing of it has to survive the machine), and on a virtual disk each test's CREATE DATABASE took
# 0.15-0.3 s against 0.03 s in memory, for the ~400 PostgreSQL tests. The WAL is kept small there,
# since it then takes memory. Without the room, the ordinary temporary directory as before.
_MEMORY = Path("/dev/shm")
_MEMORY_NEEDED = 1 << 30


def _in_memory_dir() -> str | None:
    try:
        if not os.access(_MEMORY, os.W_OK | os.X_OK):
            return None
        free = os.statvfs(_MEMORY)
    except OSError:
        return None
    return str(_MEMORY) if free.f_bavail * free.f_frsize >= _MEMORY_NEEDED else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """Started in a temp dir; as root it runs as the `postgres` system user (initdb refuses root).
    `in_memory`: in /dev/shm when it has room (the test suite's server; the benchmarks keep a disk)."""

    def __init__(self, *, in_memory: bool = False) -> None:
        self.bin = _binaries()
        parent = _in_memory_dir() if in_memory else None
        self.in_memory = parent is not None
        self.dir = Path(tempfile.mkdtemp(prefix="crisisdesk-pg-", dir=parent))
        self.port = _free_port()
        self.user = "crisisdesk"
        self._as: list[str] = []
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable("running as root and there is no 'postgres' user") from exc
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise PostgresUnavailable(f"{Path(args[0]).name} failed: {(done.stderr or done.stdout).strip()[-500:]}")

    def start(self) -> PostgresServer:
        data = self.dir / "data"
        self._run(str(self.bin / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--no-sync", "--locale=C")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        if self.in_memory:
            options += " -c max_wal_size=128MB -c min_wal_size=32MB"
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.dir / "log"), "-w",
                  "-t", "60", "start")  # fmt: skip
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "-w", "stop")
        except PostgresUnavailable:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
