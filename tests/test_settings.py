"""Settings come from the environment; a bad value stops start-up with a message naming it."""

import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "example.org",
}


def run_python(environment, *args):
    """Run Python in the project with only the given environment (and PATH)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def load_settings(environment):
    return run_python(
        environment,
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY); print(settings.DEBUG)",
    )


def last_line(result):
    return result.stderr.strip().splitlines()[-1]


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings({"DEBUG": "false"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in last_line(result)
    assert "SECRET_KEY" in last_line(result)


def test_it_refuses_to_start_when_debug_is_neither_true_nor_false():
    result = load_settings({"DEBUG": "maybe", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "DEBUG" in last_line(result)
    assert "'maybe'" in last_line(result)


@pytest.mark.parametrize(
    "url", ["nonsense", "foo://bar/baz", "postgres://user:pw@host:port/db"], ids=str
)
def test_it_refuses_to_start_with_a_database_url_it_cannot_read(url):
    result = load_settings({"DEBUG": "true", "DATABASE_URL": url})
    assert result.returncode != 0
    assert "DATABASE_URL" in last_line(result)


@pytest.mark.parametrize("name", ["DATABASE_CONN_MAX_AGE", "SECURE_HSTS_SECONDS"])
def test_it_refuses_to_start_with_a_number_that_is_not_a_number_naming_the_variable(name):
    result = load_settings({**PRODUCTION, name: "forever"})
    assert result.returncode != 0
    assert name in last_line(result)
    assert "whole number" in last_line(result)


def test_with_debug_on_it_uses_a_development_secret_key():
    result = load_settings({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    key, debug = result.stdout.split()
    assert "development" in key
    assert debug == "True"


def test_production_settings_pass_the_deployment_checks():
    result = run_python(PRODUCTION, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deployment_checks_catch_a_weak_secret_key():
    result = run_python(
        {**PRODUCTION, "SECRET_KEY": "short"},
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


@pytest.mark.django_db
def test_setup_demo_refuses_to_run_with_debug_off_and_creates_no_users(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("setup_demo")
    assert not get_user_model().objects.exists()
