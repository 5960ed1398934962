"""The project as a whole: migrations, system checks, lint."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_are_clean():
    call_command("check", fail_level="WARNING")


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_database_under_test_is_the_one_asked_for():
    url = os.environ.get("DATABASE_URL", "sqlite")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")
