"""Many people saving one profile at once, in real threads: one save wins, the rest are stale.

Each thread is a browser posting the editor through the whole Django stack with its own
database connection. On SQLite the in-memory test database (one shared cache, table
locks, no WAL) is not what a web server runs on, so the threads use a file copy of it
opened with the project's settings (WAL, busy timeout, IMMEDIATE transactions).
"""

import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from profiles.models import RoleProfile
from profiles.services import editing
from tests.html_forms import form_data
from tests.test_settings import PRODUCTION, run_python

SAVERS = 20


@contextmanager
def database_for_threads(tmp_path):
    """The test database as new threads' connections see it: on SQLite, a file copy."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "threads.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    # Connections opened from now on (each thread opens its own) read this file; this
    # thread keeps its open connection to the in-memory database.
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = original


def in_threads(functions):
    """Run the functions at once, each in its own thread; their results or exceptions."""
    start = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def run(index, function):
        try:
            start.wait(30)
            outcomes[index] = function()
        except Exception as error:
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, function))
        for index, function in enumerate(functions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_saves_of_one_profile_give_one_save_and_nineteen_stale_refusals(
    tmp_path, hr_user, profile
):
    url = reverse("profiles:edit", args=["gwent", profile.slug])
    browser = Client()
    browser.force_login(hr_user)
    page = form_data(browser.get(url).content, "editor")

    def save(number):
        def post():
            client = Client()
            client.cookies = browser.cookies
            data = {**page, "profile-purpose": [f"Purpose from saver {number}."]}
            response = client.post(url, data)
            stale = editing.STALE_MESSAGE in response.content.decode()
            return response.status_code, stale

        return post

    with database_for_threads(tmp_path):
        outcomes = in_threads([save(number) for number in range(SAVERS)])
        (saved,) = in_threads(
            [lambda: RoleProfile.objects.values("purpose", "revision").get(pk=profile.pk)]
        )

    errors = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert errors == []
    assert sorted(outcomes) == [(200, True)] * (SAVERS - 1) + [(302, False)]
    assert saved["revision"] == 1
    assert saved["purpose"] in {f"Purpose from saver {number}." for number in range(SAVERS)}


def test_a_sqlite_database_runs_in_wal_mode_with_a_busy_timeout_and_immediate_writes(tmp_path):
    script = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "cursor = connection.cursor()\n"
        "print(cursor.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "print(cursor.execute('PRAGMA busy_timeout').fetchone()[0])\n"
        "print(connection.transaction_mode)\n"
    )
    environment = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = run_python(environment, "-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]
