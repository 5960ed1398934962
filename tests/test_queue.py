"""The task queue in one process: de-duplication, retries, dead workers, reprints after a deploy."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs import queue
from jobs.models import Lease, WorkerHeartbeat
from profiles import tasks
from profiles.models import Status
from profiles.printing import pdf
from tests.patching import patch
from tests.test_pdf import RenderCounter, text_of


@pytest.fixture
def database_queue(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PDF_CACHE_DIR = tmp_path
    return settings


@pytest.fixture
def published(weighted_profile):
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    return weighted_profile


def renders():
    return DBTaskResult.objects.filter(task_path="profiles.tasks.render_profile")


def test_a_task_already_waiting_is_not_queued_again(database_queue, profile):
    first = queue.enqueue_once(tasks.render_profile, profile.pk)
    second = queue.enqueue_once(tasks.render_profile, profile.pk)
    other = queue.enqueue_once(tasks.render_profile, profile.pk + 1)

    assert first == second != other
    assert renders().count() == 2


def test_a_task_running_does_not_stop_the_next_one_being_queued(database_queue, profile):
    first = queue.enqueue_once(tasks.render_profile, profile.pk)
    renders().filter(pk=first).update(status=TaskResultStatus.RUNNING)

    assert queue.enqueue_once(tasks.render_profile, profile.pk) != first


def test_a_failing_task_is_retried_until_the_last_attempt(settings, monkeypatch, profile):
    calls = []

    def failing(profile_pk, reprint=False):
        calls.append(profile_pk)
        raise RuntimeError("the disk is full")

    patch(monkeypatch, pdf, "print_profile", failing)
    result = tasks.render_profile.enqueue(profile.pk)

    assert result.status == TaskResultStatus.FAILED
    assert calls == [profile.pk] * queue.MAX_ATTEMPTS


def test_a_task_of_a_dead_worker_is_queued_again_and_of_a_live_one_left(database_queue, profile):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="alive", hostname="h", pid=1, started_at=now, seen_at=now
    )
    WorkerHeartbeat.objects.create(
        worker_id="dead", hostname="h", pid=2, started_at=now, seen_at=now - timedelta(minutes=5)
    )
    alive = tasks.render_profile.enqueue(profile.pk).id
    dead = tasks.render_profile.enqueue(profile.pk + 1).id
    long_ago = now - timedelta(minutes=5)
    renders().filter(pk=alive).update(
        status=TaskResultStatus.RUNNING, worker_ids=["alive"], started_at=long_ago
    )
    renders().filter(pk=dead).update(
        status=TaskResultStatus.RUNNING, worker_ids=["dead"], started_at=long_ago
    )

    assert queue.requeue_abandoned() == 1
    assert renders().get(pk=alive).status == TaskResultStatus.RUNNING
    assert renders().get(pk=dead).status == TaskResultStatus.READY
    assert queue.is_pending(alive) and queue.is_pending(dead)


def test_a_task_that_lost_its_worker_every_time_fails(database_queue, profile):
    lost = tasks.render_profile.enqueue(profile.pk).id
    renders().filter(pk=lost).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=["a", "b", "c"],
        started_at=timezone.now() - timedelta(minutes=5),
    )

    queue.requeue_abandoned()

    assert renders().get(pk=lost).status == TaskResultStatus.FAILED


def test_a_lease_is_held_by_one_holder_and_passes_on_when_a_worker_dies(db):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="one", hostname="h", pid=1, started_at=now, seen_at=now
    )
    assert queue.try_lease("pdf:1", 60, "worker:one")
    assert not queue.try_lease("pdf:1", 60, "process:two")
    assert queue.try_lease("pdf:1", 60, "worker:one")
    WorkerHeartbeat.objects.update(seen_at=now - timedelta(minutes=5))  # "one" died
    assert queue.try_lease("pdf:1", 60, "worker:three")
    Lease.objects.update(holder="process:two")
    assert not queue.try_lease("pdf:1", 60, "worker:three")
    Lease.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert queue.try_lease("pdf:1", 60, "worker:three")


def test_after_a_layout_change_a_download_is_the_previous_pdf_and_a_reprint_is_queued(
    database_queue, client, manager_user, published, monkeypatch
):
    client.force_login(manager_user)
    before = client.get(reverse("profiles:pdf", args=[published.force.slug, published.slug]))
    patch(monkeypatch, pdf, "code_version", lambda: "a-new-layout")
    counter = RenderCounter(monkeypatch)

    after = client.get(reverse("profiles:pdf", args=[published.force.slug, published.slug]))

    assert after.content == before.content
    assert counter.count == counter.html_count == 0
    assert list(renders().values_list("args_kwargs", flat=True)) == [
        {"args": [published.pk], "kwargs": {}}
    ]


def prints(caplog):
    """Where each PDF print logged since the test began happened ("request", "worker"…)."""
    return [
        record.json["where"]
        for record in caplog.records
        if getattr(record, "json", {}).get("event") == "pdf.render"
    ]


@pytest.mark.django_db(transaction=True)
def test_after_a_save_a_download_is_the_previous_pdf_until_the_worker_prints_the_fresh_one(
    database_queue, client, manager_user, published, caplog
):
    database_queue.PDF_RENDER_AFTER_SAVE = True
    client.force_login(manager_user)
    url = reverse("profiles:pdf", args=[published.force.slug, published.slug])
    read_url = reverse("profiles:detail", args=[published.force.slug, published.slug])
    before = client.get(url)  # never printed: printed in this request
    item = published.sections.get(order=1).items.get(order=2)
    caplog.set_level(logging.INFO, logger="profiles.printing.pdf")
    caplog.clear()

    item.text = "Patrol on foot and answer to the sergeant."
    item.save()
    stale = client.get(url)
    note = client.get(read_url)

    assert stale.content == before.content
    assert stale["ETag"] == before["ETag"]
    assert stale["X-PDF-Status"] == "updating" and before["X-PDF-Status"] == "current"
    assert "PDF being updated" in note.content.decode()
    assert prints(caplog) == []
    waiting = renders().filter(status=TaskResultStatus.READY)
    assert [r.args_kwargs["args"] for r in waiting] == [[published.pk]]

    call_command("run_tasks", "--batch", "--interval", "0")
    fresh = client.get(url)

    assert prints(caplog) == ["worker"]
    assert fresh["X-PDF-Status"] == "current"
    assert fresh["ETag"] != before["ETag"]
    assert "Patrol on foot and answer to the sergeant." in text_of(fresh.content)
    assert "PDF being updated" not in client.get(read_url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_download_of_a_changed_profile_queues_its_print_if_no_save_did(
    database_queue, client, manager_user, published, caplog
):
    client.force_login(manager_user)
    url = reverse("profiles:pdf", args=[published.force.slug, published.slug])
    before = client.get(url)
    caplog.set_level(logging.INFO, logger="profiles.printing.pdf")
    caplog.clear()
    published.title = "Police Community Support Officer"
    published.save()  # PDF_RENDER_AFTER_SAVE is off: nothing queued by the save

    assert not renders().exists()
    stale = client.get(url)
    client.get(url)

    assert stale.content == before.content and stale["X-PDF-Status"] == "updating"
    assert [r.args_kwargs["args"] for r in renders()] == [[published.pk]]
    call_command("run_tasks", "--batch", "--interval", "0")
    assert client.get(url)["ETag"] != before["ETag"]
    assert prints(caplog) == ["worker"]


@pytest.mark.django_db(transaction=True)
def test_a_profile_never_printed_prints_in_the_request_and_a_drafts_print_is_never_a_managers(
    database_queue, client, hr_user, manager_user, weighted_profile, caplog
):
    caplog.set_level(logging.INFO, logger="profiles.printing.pdf")
    url = reverse("profiles:pdf", args=[weighted_profile.force.slug, weighted_profile.slug])
    client.force_login(hr_user)
    as_draft = client.get(url)
    weighted_profile.status = Status.PUBLISHED
    weighted_profile.save()
    client.force_login(manager_user)

    published = client.get(url)

    assert as_draft.status_code == published.status_code == 200
    assert prints(caplog) == ["request", "request"]
    assert published["X-PDF-Status"] == "current"
    assert "DRAFT" in text_of(as_draft.content) and "DRAFT" not in text_of(published.content)


def test_a_refused_print_is_explained_not_hidden_behind_the_previous_pdf(
    database_queue,
    client,
    manager_user,
    published,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    client.force_login(manager_user)
    url = reverse("profiles:pdf", args=[published.force.slug, published.slug])
    client.get(url)
    patch(monkeypatch, pdf, "MAX_PDF_HTML_CHARS", 100)
    with django_capture_on_commit_callbacks(execute=True):
        published.title = "Police Community Support Officer"
        published.save()
    pdf.print_profile(published.pk)  # the worker's print, refused

    assert pdf.previous_key(published) is None
    assert client.get(url).status_code == 422


@pytest.mark.django_db(transaction=True)
def test_a_worker_starting_after_a_layout_change_reprints_the_published_profiles(
    database_queue, published, monkeypatch
):
    published.force.profiles.model.objects.create(
        force=published.force, slug="a-draft", title="A draft"
    )
    pdf.cached_pdf(published)
    pdf.remember_printed_layout()
    queue.worker_ready.send(sender=None, worker_id="w")
    assert not DBTaskResult.objects.exists()

    patch(monkeypatch, pdf, "code_version", lambda: "a-new-layout")
    queue.worker_ready.send(sender=None, worker_id="w")
    reprint = DBTaskResult.objects.get()
    assert reprint.task_path == "profiles.tasks.reprint_after_deploy"
    call_command("run_tasks", "--batch", "--interval", "0")

    assert [r.args_kwargs["args"] for r in renders()] == [[published.pk]]
    assert renders().get().status == TaskResultStatus.SUCCESSFUL
    assert pdf.printed_layout() == "a-new-layout"
    assert pdf.current_key(published) is not None
