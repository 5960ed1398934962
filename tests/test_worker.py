"""The real task worker, run as other processes on the test database: nothing lost, nothing twice."""

import io
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from model_bakery import baker

from jobs.models import JobStatus
from profiles import tasks
from profiles.models import Item, RoleProfile, SectionKind, Status
from profiles.printing import pdf

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)
HEARTBEAT = 1


@pytest.fixture(autouse=True)
def shared_database(transactional_db, tmp_path):
    """On SQLite, moves the test database from memory to a file that worker processes can open."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    memory = connection.settings_dict["NAME"]
    connection.ensure_connection()
    # Keeps the in-memory database alive while Django's connection is on the file.
    keeper = sqlite3.connect(memory, uri=True)
    file = tmp_path / "shared.sqlite3"
    with sqlite3.connect(file) as target:
        connection.connection.backup(target)
    target.close()
    # Django never closes an in-memory database's connection: point it at the file first.
    connection.settings_dict["NAME"] = str(file)
    connection.close()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory
        connection.ensure_connection()
        keeper.close()


def database_url():
    """The test database, as the worker processes reach it."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    host = quote(database["HOST"] or "localhost", safe="")
    return (
        f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}@{host}:"
        f"{database['PORT'] or 5432}/{database['NAME']}"
    )


@pytest.fixture
def queue_settings(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PDF_CACHE_DIR = str(tmp_path / "pdf-cache")
    settings.PDF_RENDER_AFTER_SAVE = True
    settings.TASK_WORKER_HEARTBEAT_SECONDS = HEARTBEAT
    return settings


@pytest.fixture
def environment(queue_settings, tmp_path):
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "PDF_CACHE_DIR": queue_settings.PDF_CACHE_DIR,
        "TASK_WORKER_HEARTBEAT_SECONDS": str(HEARTBEAT),
        "LOG_LEVEL": "INFO",
    }


class Workers:
    """Worker processes started by a test, each logging to its own file; all stopped after it."""

    def __init__(self, environment, folder):
        self.environment = environment
        self.folder = folder
        self.processes = []

    def start(self, *args):
        log = self.folder / f"worker-{len(self.processes)}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "run_tasks", "--interval", "0.1", *args],
                cwd=ROOT,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        self.processes.append(process)
        return process

    def log_lines(self, event):
        lines = []
        for process in self.processes:
            for text in process.log.read_text().splitlines():
                if text.startswith("{") and json.loads(text).get("event") == event:
                    lines.append(json.loads(text))
        return lines

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()


@pytest.fixture
def workers(environment, tmp_path):
    started = Workers(environment, tmp_path)
    yield started
    started.stop_all()


def wait_until(condition, timeout=120, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not come true within {timeout} s")


def renders_queued():
    return DBTaskResult.objects.filter(task_path="profiles.tasks.render_profile")


def make_long(profile, items=150):
    """Enough responsibilities that a print takes a noticeable while."""
    section = baker.make(
        "profiles.Section", profile=profile, order=3, kind=SectionKind.SPECIFIC_TASKS
    )
    Item.objects.bulk_create(
        Item(section=section, order=order, text=f"Responsibility number {order}. " * 8)
        for order in range(1, items + 1)
    )


def test_saves_in_two_web_processes_queue_one_print_which_the_worker_does(
    weighted_profile, workers, environment
):
    item = Item.objects.get(section__profile=weighted_profile, order=2)
    item.text = "Saved by this process."
    item.save()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from profiles.models import Item; item = Item.objects.get(pk={item.pk}); "
            "item.text = 'Saved by another process.'; item.save()",
        ],
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=120,
    )
    assert renders_queued().count() == 1
    assert renders_queued().get().args_kwargs == {"args": [weighted_profile.pk], "kwargs": {}}

    workers.start("--batch").wait(timeout=300)

    assert renders_queued().get().status == TaskResultStatus.SUCCESSFUL
    assert pdf.current_key(weighted_profile) is not None
    (render,) = workers.log_lines("pdf.render")
    assert render["where"] == "worker" and render["profile"] == weighted_profile.pk


def test_a_worker_killed_mid_print_leaves_the_job_to_the_next_worker(weighted_profile, workers):
    make_long(weighted_profile)  # a save, which queues a print
    result = renders_queued()
    assert result.count() == 1

    first = workers.start()
    wait_until(lambda: result.get().status == TaskResultStatus.RUNNING, what="the print started")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert result.get().status == TaskResultStatus.RUNNING
    assert pdf.current_key(weighted_profile) is None

    workers.start()
    wait_until(
        lambda: result.get().status == TaskResultStatus.SUCCESSFUL, what="the print finished"
    )
    assert len(result.get().worker_ids) == 2
    assert pdf.current_key(weighted_profile) is not None


def published_copies(profile, count):
    profile.status = Status.PUBLISHED
    profile.save()
    for number in range(count - 1):
        copy = baker.make(
            RoleProfile,
            force=profile.force,
            slug=f"copy-{number}",
            title=f"Copy {number}",
            status=Status.PUBLISHED,
        )
        make_long(copy, items=60)
    make_long(profile, items=60)


def test_a_zip_interrupted_mid_build_can_be_started_again(
    client, hr_user, weighted_profile, workers, queue_settings
):
    # Five long profiles, none printed yet: the zip prints each, so the worker is still
    # building when it is killed.
    queue_settings.PDF_RENDER_AFTER_SAVE = False
    published_copies(weighted_profile, 5)
    queue_settings.PDF_RENDER_AFTER_SAVE = True
    force = weighted_profile.force
    client.force_login(hr_user)
    client.post(reverse("profiles:zip", args=[force.slug]))
    first_task = JobStatus.objects.get().task_id

    first = workers.start()
    wait_until(lambda: JobStatus.objects.get().done >= 1, what="the first profile printed")
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert pdf.zip_status(force)["state"] == "building"
    wait_until(lambda: pdf.zip_status(force)["state"] == "interrupted", what="interrupted")
    page = client.get(reverse("profiles:zip", args=[force.slug]))
    assert b"stopped before it finished" in page.content

    client.post(reverse("profiles:zip", args=[force.slug]))
    assert JobStatus.objects.get().task_id not in ("", first_task)
    assert pdf.zip_status(force)["state"] == "building"
    workers.start("--batch").wait(timeout=300)

    assert pdf.zip_status(force) == {"state": "ready", "done": 5, "total": 5}
    assert DBTaskResult.objects.get(pk=first_task).status == TaskResultStatus.FAILED
    download = client.get(reverse("profiles:zip-download", args=[force.slug]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    download.close()
    assert len(archive.namelist()) == 5


def test_two_workers_never_print_the_same_profile_at_once(
    weighted_profile, other_force, workers, queue_settings
):
    queue_settings.PDF_RENDER_AFTER_SAVE = False  # only the prints queued below
    make_long(weighted_profile, items=60)
    other = baker.make(RoleProfile, force=other_force, slug="other", title="Other")
    make_long(other, items=60)
    for profile in (weighted_profile, weighted_profile, weighted_profile, other, other, other):
        tasks.render_profile.enqueue(profile.pk, reprint=True)

    both = [workers.start("--batch"), workers.start("--batch")]
    for process in both:
        process.wait(timeout=600)

    renders = workers.log_lines("pdf.render")
    assert len(renders) == 6
    # Both workers printed (they work in parallel) …
    assert len({render["worker"] for render in renders}) == 2
    # … but one profile's prints never overlap.
    for profile in (weighted_profile, other):
        spans = sorted(
            (r["started"], r["started"] + r["duration_ms"] / 1000)
            for r in renders
            if r["profile"] == profile.pk
        )
        assert len(spans) == 3
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end - 0.01, spans
    assert os.path.exists(pdf.cache_root() / str(other.pk))
