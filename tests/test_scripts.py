"""The throw-away PostgreSQL that `make test` runs on: it goes away, whatever happens."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "with-postgres.sh"


def with_postgres(*command, **environment):
    return subprocess.run(
        ["bash", str(SCRIPT), *command],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", **environment},
    )


def server_directory(result):
    [directory] = re.findall(r"^Started postgres .* in (\S+)$", result.stdout, re.MULTILINE)
    return Path(directory)


def test_it_runs_the_command_against_the_server_and_removes_it_afterwards():
    result = with_postgres("sh", "-c", 'echo "url=$DATABASE_URL"')
    assert result.returncode == 0, result.stderr
    directory = server_directory(result)
    assert f"url=postgres://postgres@{str(directory).replace('/', '%2F')}:5432/" in result.stdout
    assert not directory.exists()


def test_it_stops_and_removes_the_server_when_the_command_fails():
    result = with_postgres("sh", "-c", "exit 3")
    assert result.returncode == 3
    assert not server_directory(result).exists()


def test_without_postgresql_binaries_it_stops_and_says_how_to_install_them():
    result = with_postgres("true", PG_BIN="/nonexistent")
    assert result.returncode == 1
    assert "apt-get install -y postgresql" in result.stderr
