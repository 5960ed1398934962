"""Browser import batches run by the real task worker, in other processes: nothing lost, nothing twice."""

import signal
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import JobStatus
from profiles.models import ImportBatch, ImportBatchFile, ImportedDocument, RoleProfile
from tests import test_worker
from tests.test_import_batches import upload, zip_of
from tests.test_worker import wait_until

# The real worker's fixtures: a database file the worker processes share, their settings
# and environment, and the processes themselves (stopped after each test).
shared_database = test_worker.shared_database
queue_settings = test_worker.queue_settings
environment = test_worker.environment
workers = test_worker.workers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_prints_of_the_drafts(shared_database, environment):
    """The worker imports only: printing each new draft would make these tests slow."""
    environment["PDF_RENDER_AFTER_SAVE"] = "false"


SEEDS = sorted((Path(__file__).resolve().parent / "seeds").glob("*.txt"))


def seed_batch(copies):
    """A zip of the five seeds, `copies` times over: enough work that a kill lands mid-batch."""
    return zip_of(
        [(f"{n:03}-{path.name}", path.read_bytes()) for n in range(copies) for path in SEEDS]
    )


def test_the_worker_imports_every_document_of_an_uploaded_batch(
    client, hr_user, force, national_data, workers
):
    client.force_login(hr_user)
    response = upload(client, ("seeds.zip", seed_batch(2)), ("broken.pdf", b"%PDF broken"))
    batch = ImportBatch.objects.get()
    status = JobStatus.objects.get(key=batch.job_key)
    # The request only stored the two files and queued the job: the worker unpacks the zip.
    assert (status.state, status.done, status.total) == ("building", 0, 2)
    assert not RoleProfile.objects.exists()

    workers.start("--batch").wait(timeout=300)

    assert DBTaskResult.objects.get(pk=status.task_id).status == TaskResultStatus.SUCCESSFUL
    assert RoleProfile.objects.filter(force=force, status="draft").count() == 10
    page = client.get(response["Location"]).content.decode()
    assert "Done: 11 of 11 documents." in page
    assert "Not imported: the PDF is damaged" in page
    assert page.count("(draft):") == 10
    (line,) = [line for line in workers.log_lines("task") if "batch" in line]
    assert (line["batch"], line["documents"]) == (batch.pk, 11)


def test_a_batch_whose_worker_was_killed_is_finished_by_the_next_without_duplicates(
    client, hr_user, force, national_data, workers
):
    client.force_login(hr_user)
    upload(client, ("seeds.zip", seed_batch(8)))
    batch = ImportBatch.objects.get()
    status = JobStatus.objects.filter(key=batch.job_key)

    first = workers.start()
    wait_until(lambda: status.get().done >= 2, what="two documents imported")
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_when_killed = status.get().done
    assert 2 <= done_when_killed < 40
    wait_until(
        lambda: (
            "Import the rest"
            in client.get(reverse("profiles:import_batch", args=[batch.pk])).content.decode()
        ),
        what="the page offering to import the rest",
    )

    client.post(reverse("profiles:import_batch", args=[batch.pk]))
    workers.start("--batch").wait(timeout=600)

    assert (status.get().state, status.get().done, status.get().total) == ("ready", 40, 40)
    assert RoleProfile.objects.filter(force=force).count() == 40
    assert ImportedDocument.objects.count() == 40
    rows = ImportBatchFile.objects.filter(batch=batch)
    assert rows.filter(state="imported").count() == 40
    assert len(set(rows.values_list("profile_id", flat=True))) == 40
    (resumed,) = [line for line in workers.log_lines("task") if line.get("batch") == batch.pk]
    assert resumed["documents"] == 40 - done_when_killed
