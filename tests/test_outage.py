"""`make serve` through a database outage: nothing exits, pages answer 503, queued work finishes.

The stack is the real one (scripts/serve.sh: gunicorn and the task worker) on a PostgreSQL of
its own, on a free port of 127.0.0.1, which the test stops for a while and starts again.
"""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import OperationalError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from config.outage import DatabaseOutageMiddleware
from jobs import outages
from profiles import tasks
from tests.serving_stack import (
    answers,
    free_port,
    postgres_fixture,  # noqa: F401 (the fixture `postgres`)
    processes_of,
    wait_for,
)

ROOT = Path(__file__).resolve().parent.parent
OUTAGE_SECONDS = 12

SEED = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from model_bakery import baker
from profiles import tasks
from profiles.models import Membership, Role

force = baker.make("profiles.Force", slug="outage", name="Outage Constabulary")
profile = baker.make(
    "profiles.RoleProfile", force=force, slug="custody-officer", title="Custody Officer"
)
user = get_user_model().objects.create_user("hr-outage", password="demo-password")
Membership.objects.create(user=user, force=force, role=Role.HR_EDITOR)
# Due a few seconds from now, when the database will be away.
print_task = tasks.render_profile.using(run_after=timezone.now() + timedelta(seconds=3))
print("task", print_task.enqueue(profile.pk).id)
"""


@pytest.fixture
def serve(postgres, tmp_path):
    """scripts/serve.sh on that server; its log lines, and its processes by their command."""
    port = free_port()
    environment = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "DATABASE_URL": postgres.url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SERVE_VAR": str(tmp_path / "var"),
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "TASK_WORKER_HEARTBEAT_SECONDS": "1",
        "LOG_LEVEL": "INFO",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    process.origin = f"http://127.0.0.1:{port}"
    process.environment = {**environment, "DJANGO_SETTINGS_MODULE": "config.settings"}
    process.log = log
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            # Whatever serve.sh left behind (a part it had just started again, say).
            for pid in processes_of(process):
                os.kill(pid, signal.SIGKILL)


def parts(serve):
    """The pids of gunicorn's master and of the task worker."""
    commands = processes_of(serve)
    return {
        "web": min(pid for pid, command in commands.items() if "gunicorn" in command),
        "worker": next((pid for pid, command in commands.items() if "run_tasks" in command), None),
    }


def log_in(origin):
    session = requests.Session()
    page = session.get(f"{origin}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{origin}/accounts/login/",
        data={"username": "hr-outage", "password": "demo-password", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{origin}/accounts/login/"},
        timeout=30,
    )
    assert response.url == f"{origin}/profiles/", response.text[:500]
    return session


def log_lines(serve):
    lines = []
    for text in serve.log.read_text().splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def test_a_database_outage_stops_no_process_pages_answer_503_and_a_queued_print_finishes_after(
    serve, postgres
):
    started = time.monotonic()
    login_page = wait_for(
        lambda: answers(f"{serve.origin}/accounts/login/"), 120, "serve.sh answering"
    )
    assert login_page.status_code == 200
    seeded = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SEED],
        cwd=ROOT,
        env=serve.environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    task_id = re.search(r"^task (\S+)$", seeded.stdout, re.MULTILINE).group(1)
    session = log_in(serve.origin)
    before = parts(serve)
    print(f"serving and seeded after {time.monotonic() - started:.1f} s")

    postgres.stop()
    outage_started = time.monotonic()
    unavailable = []
    while time.monotonic() - outage_started < OUTAGE_SECONDS:
        for path in ("/profiles/", "/profiles/outage/custody-officer/"):
            response = session.get(f"{serve.origin}{path}", timeout=10, allow_redirects=False)
            unavailable.append(response)
        time.sleep(0.5)
    postgres.start()
    outage_ended = time.monotonic()

    assert {response.status_code for response in unavailable} == {503}
    page = unavailable[-1]
    assert page.headers["Retry-After"] == "30"
    assert "Role profiles will be back shortly" in page.text
    assert "cannot reach its database" in page.text
    for secret in (str(postgres.port), "127.0.0.1", "psycopg", "Operational", "connection"):
        assert secret not in page.text
    # No part exited: the same gunicorn and task worker, and serve.sh restarted nothing.
    assert serve.poll() is None
    assert parts(serve) == before
    assert not [line for line in log_lines(serve) if line.get("event") == "serve.restart"]

    back = wait_for(
        lambda: (
            (answer := answers(f"{serve.origin}/profiles/", session)) and answer.status_code == 200
        ),
        30,
        "the list page answering 200 again",
    )
    assert back
    recovered_in = time.monotonic() - outage_ended
    wait_for(
        lambda: (
            postgres.query(
                f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id = '{task_id}'"
            )
            == "SUCCESSFUL"
        ),
        30,
        "the print queued before the outage finishing",
    )
    printed_in = time.monotonic() - outage_ended
    print(
        f"{len(unavailable)} answers of 503; pages back {recovered_in:.1f} s, print {printed_in:.1f} s after"
    )
    assert recovered_in < 10
    assert printed_in < 20

    messages = [line.get("message", "") for line in log_lines(serve)]
    assert len([m for m in messages if m.startswith("Database unavailable (")]) == 1
    assert len([m for m in messages if m.startswith("Database back after")]) == 1
    assert "Traceback" not in serve.log.read_text()

    # A part that exits all the same is started again, and the others go on.
    os.kill(before["worker"], signal.SIGKILL)
    restarted = wait_for(
        lambda: [line for line in log_lines(serve) if line.get("event") == "serve.restart"],
        10,
        "serve.sh restarting the worker",
    )
    assert restarted[0]["part"] == "worker"
    wait_for(lambda: parts(serve)["worker"] != before["worker"], 10, "a new worker process")
    assert parts(serve)["web"] == before["web"]
    assert session.get(f"{serve.origin}/profiles/", timeout=10).status_code == 200


def test_a_database_error_in_a_view_answers_the_503_page_without_the_driver_message(rf):
    request = rf.get("/profiles/")
    error = OperationalError('connection to server at "10.1.2.3", port 5432 failed')
    response = DatabaseOutageMiddleware(lambda request: None).process_exception(request, error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Role profiles will be back shortly" in response.content.decode()
    assert "10.1.2.3" not in response.content.decode()
    assert (
        DatabaseOutageMiddleware(lambda request: None).process_exception(
            request, ValueError("not the database")
        )
        is None
    )


class FlakyWorker:
    """Stands in for django-tasks-db's Worker loop: the database is away for its first runs."""

    def __init__(self, worker_id, failures):
        self.worker_id, self.failures, self.running, self.runs = worker_id, failures, True, 0

    def run(self):
        self.runs += 1
        if self.runs <= self.failures:
            raise OperationalError('connection to server at "10.1.2.3", port 5432 failed')


# Transactional: the loop closes the database connection, as it does in a real outage.
@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_an_outage_with_back_off_logs_it_once_and_requeues_its_task(
    settings, caplog, profile
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cut_off = tasks.render_profile.enqueue(profile.pk).id
    DBTaskResult.objects.filter(pk=cut_off).update(
        status=TaskResultStatus.RUNNING, worker_ids=["flaky"], started_at=timezone.now()
    )
    worker, waits, started, probes = FlakyWorker("flaky", failures=1), [], [], []

    def probe():
        # The database stays away for five more probes, then answers (the real probe).
        probes.append(1)
        if len(probes) <= 5:
            raise OperationalError("the database system is starting up")
        outages.database_answers()

    def sleep(seconds):
        waits.append(seconds)
        assert len(waits) < 20, "the worker never saw the database come back"

    outages.run_through_outages(
        worker, on_start=lambda: started.append(1), sleep=sleep, probe=probe
    )

    assert worker.runs == 2 and started == [1] and len(probes) == 6
    assert waits == [0.5, 1, 2, 4, 8, 8]
    messages = [record.getMessage() for record in caplog.records if record.name == "jobs"]
    assert len(messages) == 3
    assert messages[0].startswith("Database unavailable (OperationalError); worker flaky waits")
    assert messages[1] == f"Task {cut_off} lost its worker: queued again."
    assert messages[2].startswith("Database back after ")
    assert "10.1.2.3" not in " ".join(messages)
    # The task it was running when the database went is queued again.
    assert DBTaskResult.objects.get(pk=cut_off).status == TaskResultStatus.READY
