"""Browser imports as background batches: progress, results, scoping, resuming without duplicates.

Tasks run inside the request here (the immediate backend) unless a test queues them on the
database; tests/test_import_worker.py runs the real worker.
"""

import io
import random
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jobs.models import JobStatus
from profiles.importing import batches
from profiles.models import ImportBatch, ImportBatchFile, ImportedDocument, RoleProfile
from tests.patching import patch

SEEDS = Path(__file__).resolve().parent / "seeds"


def text_document(number):
    return (
        f"Job Title: Custody Detention Officer {number}\n"
        f"Reference: CDO-{number:03}\n"
        "Purpose\nTo keep detained people safe.\n"
    ).encode()


def zip_of(documents):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for name, data in documents:
            archive.writestr(name, data)
    return packed.getvalue()


def upload(client, *files, follow=False, **extra):
    payload = []
    for name, data in files:
        handle = io.BytesIO(data)
        handle.name = name
        payload.append(handle)
    return client.post(reverse("profiles:import"), {"files": payload, **extra}, follow=follow)


@pytest.fixture
def queued(settings):
    """Tasks wait on the database queue instead of running inside the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_an_upload_queues_one_import_job_and_shows_its_page_at_once(
    client, hr_user, force, national_data, queued, django_capture_on_commit_callbacks
):
    client.force_login(hr_user)
    documents = [(f"doc-{n}.txt", text_document(n)) for n in range(3)]
    packed = zip_of(documents)

    response = upload(client, ("batch.zip", packed))

    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:import_batch", args=[batch.pk])
    status = JobStatus.objects.get(key=batch.job_key)
    # The request stored the zip as uploaded: the worker unpacks it.
    assert (status.state, status.done, status.total) == ("building", 0, 1)
    [row] = batch.files.all()
    with batches.storage().open(row.stored_as, "rb") as stored:
        assert stored.read() == packed
    task = DBTaskResult.objects.get(pk=status.task_id)
    assert task.task_path == "profiles.tasks.import_batch"
    assert task.args_kwargs == {"args": [batch.pk], "kwargs": {}}
    assert not RoleProfile.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Imported 0 of 1 documents" in page and page.count("Waiting…") == 1
    assert reverse("profiles:import_batch_status", args=[batch.pk]) in page

    with django_capture_on_commit_callbacks(execute=True):
        batches.unpack_zips(batch)

    assert list(batch.files.values_list("name", "state")) == [
        (f"doc-{n}.txt", "waiting") for n in range(3)
    ]
    assert not batches.storage().exists(row.stored_as)
    page = client.get(response["Location"]).content.decode()
    assert "Imported 0 of 3 documents" in page and page.count("Waiting…") == 3


def test_a_finished_batch_shows_counts_results_and_review_links(
    client, hr_user, force, national_data
):
    client.force_login(hr_user)
    seed = (SEEDS / "000_94024340a64cd7f0.txt").read_bytes()

    page = upload(client, ("avon.txt", seed), ("custody.txt", text_document(1)), follow=True)

    content = page.content.decode()
    assert "Done: 2 of 2 documents." in content
    for profile in RoleProfile.objects.filter(force=force):
        assert reverse("profiles:import_review", args=[force.slug, profile.slug]) in content
    assert "Citizens in Policing Administrator" in content
    assert "hx-trigger" not in content  # nothing left to poll for


def test_a_bad_file_in_the_batch_is_reported_and_the_others_still_load(
    client, hr_user, force, national_data
):
    client.force_login(hr_user)
    packed = zip_of(
        [
            ("one.txt", text_document(1)),
            ("broken.pdf", b"%PDF broken"),
            ("two.txt", text_document(2)),
        ]
    )

    page = upload(client, ("batch.zip", packed), ("damaged.zip", b"PK not a zip"), follow=True)

    content = page.content.decode()
    assert "Not imported: the zip file is damaged" in content
    assert "Not imported: the PDF is damaged" in content
    assert "Done: 4 of 4 documents." in content
    assert sorted(RoleProfile.objects.values_list("reference_code", flat=True)) == [
        "CDO-001",
        "CDO-002",
    ]
    states = dict(ImportBatchFile.objects.values_list("name", "state"))
    assert states == {
        "damaged.zip": "failed",
        "one.txt": "imported",
        "broken.pdf": "failed",
        "two.txt": "imported",
    }


def test_a_batch_of_two_hundred_documents_is_accepted_from_the_browser(
    client, hr_user, force, national_data, queued
):
    client.force_login(hr_user)
    documents = [(f"doc-{n}.txt", text_document(n)) for n in range(200)]

    upload(client, ("many.zip", zip_of(documents)))

    batch = ImportBatch.objects.get()
    assert batch.files.count() == 1  # the zip, unpacked by the worker
    assert batches.run_batch(batch.pk, "task") == 200
    assert RoleProfile.objects.filter(force=force).count() == 200
    assert batches.batch_status(batch) == {"state": "ready", "done": 200, "total": 200}


def test_running_an_interrupted_batch_again_imports_the_rest_and_duplicates_nothing(
    client, hr_user, force, national_data, queued
):
    client.force_login(hr_user)
    upload(client, ("batch.zip", zip_of([(f"d{n}.txt", text_document(n)) for n in range(5)])))
    batch = ImportBatch.objects.get()
    batches.unpack_zips(batch)
    first, second, *_ = batch.files.values_list("pk", flat=True)
    vocabulary = batches.vocabulary_for(force)
    # a worker imported two documents, then died
    batches._import_file(batch, first, vocabulary)
    batches._import_file(batch, second, vocabulary)
    assert batches.batch_status(batch)["done"] == 2

    assert batches.run_batch(batch.pk, "again") == 3
    assert batches.run_batch(batch.pk, "and again") == 0

    assert RoleProfile.objects.count() == ImportedDocument.objects.count() == 5
    assert sorted(RoleProfile.objects.values_list("reference_code", flat=True)) == [
        f"CDO-{n:03}" for n in range(5)
    ]
    assert batches.batch_status(batch) == {"state": "ready", "done": 5, "total": 5}
    assert not batches.storage().exists(f"imports/{batch.pk}/0")


def test_an_interrupted_batch_offers_to_import_the_rest(
    client, hr_user, force, national_data, queued
):
    client.force_login(hr_user)
    upload(client, ("a.txt", text_document(1)), ("b.txt", text_document(2)))
    batch = ImportBatch.objects.get()
    status = JobStatus.objects.get(key=batch.job_key)
    # its worker took the task and died (no heartbeat)
    DBTaskResult.objects.filter(pk=status.task_id).update(status="RUNNING", worker_ids=["gone"])
    url = reverse("profiles:import_batch", args=[batch.pk])
    assert "Import the rest" in client.get(url).content.decode()

    client.post(url)

    new_task = JobStatus.objects.get(key=batch.job_key).task_id
    assert new_task != status.task_id
    assert DBTaskResult.objects.get(pk=status.task_id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=new_task).status == "READY"
    assert batches.batch_status(batch)["state"] == "building"


def test_staff_upload_into_the_force_they_choose_and_see_any_batch(
    client, admin_user, hr_user, other_force, force, national_data
):
    client.force_login(hr_user)
    upload(client, ("a.txt", text_document(1)))
    batch = ImportBatch.objects.get()

    client.force_login(admin_user)
    assert client.get(reverse("profiles:import_batch", args=[batch.pk])).status_code == 200
    upload(client, ("b.txt", text_document(2)), force=other_force.pk)
    assert RoleProfile.objects.get(force=other_force).reference_code == "CDO-002"


@pytest.mark.parametrize("name", ["profiles:import_batch", "profiles:import_batch_status"])
def test_another_forces_hr_editor_and_a_manager_get_404(
    client, hr_user, other_hr_user, manager_user, force, national_data, name
):
    client.force_login(hr_user)
    upload(client, ("a.txt", text_document(1)))
    url = reverse(name, args=[ImportBatch.objects.get().pk])

    for outsider in (other_hr_user, manager_user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    assert client.post(reverse("profiles:import_batch", args=[1])).status_code == 404


def test_anonymous_users_are_sent_to_log_in_from_a_batch(client, hr_user, force, national_data):
    client.force_login(hr_user)
    upload(client, ("a.txt", text_document(1)))
    client.logout()

    response = client.get(reverse("profiles:import_batch", args=[ImportBatch.objects.get().pk]))

    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("documents", [2, 12])
def test_the_batch_pages_cost_the_same_whatever_the_number_of_documents(
    client, hr_user, force, national_data, django_assert_num_queries, documents
):
    client.force_login(hr_user)
    upload(
        client, ("batch.zip", zip_of([(f"d{n}.txt", text_document(n)) for n in range(documents)]))
    )
    batch = ImportBatch.objects.get()

    # session, user with membership, batch with force, job status, files with their drafts
    with django_assert_num_queries(5):
        page = client.get(reverse("profiles:import_batch", args=[batch.pk]))
    assert page.content.decode().count("(draft):") == documents
    with django_assert_num_queries(5):
        fragment = client.get(reverse("profiles:import_batch_status", args=[batch.pk]))
    assert f"Done: {documents} of {documents} documents." in fragment.content.decode()


def test_the_import_page_lists_the_forces_recent_uploads_at_a_fixed_cost(
    client, hr_user, other_hr_user, force, national_data, django_assert_num_queries
):
    client.force_login(other_hr_user)
    upload(client, ("theirs.txt", text_document(9)))
    client.force_login(hr_user)
    for n in range(3):
        upload(client, (f"d{n}.txt", text_document(n)))
    mine = ImportBatch.objects.filter(force=force)

    # session, user with membership, the recent batches with their forces and counts
    with django_assert_num_queries(3):
        page = client.get(reverse("profiles:import")).content.decode()

    for batch in mine:
        assert reverse("profiles:import_batch", args=[batch.pk]) in page
    other = ImportBatch.objects.exclude(force=force).get()
    assert reverse("profiles:import_batch", args=[other.pk]) not in page


def test_staff_see_import_jobs_with_the_other_jobs(
    client, hr_user, admin_user, force, national_data
):
    client.force_login(hr_user)
    upload(client, ("a.txt", text_document(1)), ("b.txt", text_document(2)))
    batch = ImportBatch.objects.get()

    client.force_login(admin_user)
    jobs = client.get(reverse("admin:jobs_jobstatus_changelist")).content.decode()

    assert f"import:batch-{batch.pk}" in jobs
    assert JobStatus.objects.get(key=batch.job_key).done == 2


def hex_text(size, seed):
    """Text that compresses about 2:1, so no zip of it looks like a bomb."""
    return (random.Random(seed).randbytes(size // 2).hex()).encode()


def test_many_zips_in_one_upload_are_unpacked_by_the_worker_within_one_budget(
    client, hr_user, force, national_data, queued, monkeypatch
):
    patch(monkeypatch, batches, "MAX_UPLOAD_UNPACKED_BYTES", 2**20)
    client.force_login(hr_user)
    zips = [
        (
            f"part-{n}.zip",
            zip_of([(f"p{n}-{m}.txt", hex_text(200_000, n * 10 + m)) for m in (1, 2)]),
        )
        for n in range(3)
    ]

    upload(client, *zips)

    batch = ImportBatch.objects.get()
    # The request unpacked nothing: each zip is stored as it came.
    assert list(batch.files.values_list("name", flat=True)) == [name for name, _ in zips]
    batches.unpack_zips(batch)
    rows = list(batch.files.values_list("name", "state", "error"))
    assert rows == [
        ("p0-1.txt", "waiting", ""),
        ("p0-2.txt", "waiting", ""),
        ("p1-1.txt", "waiting", ""),
        ("p1-2.txt", "waiting", ""),
        ("part-2.zip", "failed", "the upload unpacks to more than 1 MB"),
    ]
    assert batches.batch_status(batch) == {"state": "building", "done": 1, "total": 5}
    assert not RoleProfile.objects.exists()


def test_an_upload_whose_zips_hold_over_500_documents_is_refused_whole_by_the_worker(
    client, hr_user, force, national_data, queued
):
    client.force_login(hr_user)
    small = [(f"d{n}.txt", b"x") for n in range(300)]

    upload(client, ("a.zip", zip_of(small)), ("b.zip", zip_of(small)))
    batch = ImportBatch.objects.get()
    batches.unpack_zips(batch)

    assert list(batch.files.values_list("name", "state", "error")) == [
        ("(the upload)", "failed", "more than 500 documents in one upload")
    ]
    assert batches.batch_status(batch) == {"state": "building", "done": 1, "total": 1}
    _, stored = batches.storage().listdir(f"imports/{batch.pk}")
    assert stored == []
    assert not RoleProfile.objects.exists()
