"""The real serving stack for tests that run `make serve` (scripts/serve.sh): a throw-away
PostgreSQL on a free port of 127.0.0.1 that a test may stop and start, and ways to watch the
processes serve.sh starts and the pages they answer."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda bin: int(bin.parent.name))
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Postgres:
    """A throw-away server listening on 127.0.0.1:<port>, which the test stops and starts."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        if AS_POSTGRES:  # PostgreSQL refuses to run as root
            shutil.chown(folder, "postgres")
        self.run("initdb", "-A", "trust", "-U", "postgres", "-E", "UTF8", "-D", self.data)
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "app")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/app"

    @property
    def data(self):
        return str(self.folder / "data")

    def run(self, program, *args):
        subprocess.run(
            [*AS_POSTGRES, str(PG_BIN / program), *args],
            check=True,
            capture_output=True,
            cwd=self.folder,
            timeout=60,
        )

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.folder / "server.log")
        self.run("pg_ctl", "-D", self.data, "-l", log, "-w", "-o", options, "start")

    def stop(self):
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def query(self, sql):
        result = subprocess.run(
            [*AS_POSTGRES, str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", "postgres", "-d", "app", "-tAc", sql],
            check=True,
            capture_output=True,
            text=True,
            timeout=30,
        )
        return result.stdout.strip()


@pytest.fixture(name="postgres")
def postgres_fixture():
    """A throw-away PostgreSQL for the test, removed afterwards."""
    # Not under pytest's tmp_path: the postgres user may not enter it.
    folder = Path(tempfile.mkdtemp(prefix="roleprofiles-stack-"))
    folder.chmod(0o755)
    try:
        server = Postgres(folder)
        yield server
        subprocess.run(
            [*AS_POSTGRES, str(PG_BIN / "pg_ctl"), "-D", server.data, "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def processes_of(serve):
    """{pid: command line} of the processes serve.sh started (its process group)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        process_group = int(stat.rsplit(")", 1)[1].split()[2])
        if process_group == serve.pid and int(entry.name) != serve.pid:
            found[int(entry.name)] = command
    return found


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = condition()
        if answer:
            return answer
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def answers(url, session=requests):
    try:
        return session.get(url, timeout=10, allow_redirects=False)
    except requests.ConnectionError:
        return None
