"""Browser imports as background batches: the upload is stored, the task worker imports it.

`store_batch` (the request, through profiles.tasks.start_batch, which then queues one task)
unpacks the upload and keeps each document in the shared storage (`storages["pdfs"]`, which
web and worker processes reach alike).
`run_batch` (the task) imports the documents still waiting, each in its own transaction
that also marks the document imported: a worker killed mid-batch leaves every document
either imported (with its draft) or waiting (with nothing), so the batch run again, by the
next worker or by the user's "resume", imports the rest and no document twice.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction

from jobs import queue
from jobs.models import JobStatus
from profiles.importing.readers import (
    MAX_ZIP_BYTES,
    MAX_ZIP_MEMBERS,
    Budget,
    UnreadableDocument,
    display_name,
    unpack,
)
from profiles.importing.save import vocabulary_for
from profiles.importing.service import FileResult, import_one
from profiles.models import ImportBatch, ImportBatchFile

# Documents in one browser upload (a zip holds at most MAX_ZIP_MEMBERS itself).
MAX_DOCUMENTS_PER_BATCH = MAX_ZIP_MEMBERS
MAX_UPLOAD_BYTES = MAX_ZIP_BYTES
# What all the documents of one upload may unpack to, together (zips are inflated one member
# at a time and each document is stored as it comes out, so the request holds one at a time).
MAX_UPLOAD_UNPACKED_BYTES = 100 * 1024 * 1024


class TooManyDocuments(Exception):
    pass


def storage():
    return storages["pdfs"]


def _refused(batch, order, name, error):
    return ImportBatchFile(
        batch=batch,
        order=order,
        name=name[:255],
        state=ImportBatchFile.State.FAILED,
        error=error,
    )


def store_batch(force, uploads, *, user=None, create_grades=False):
    """Store the uploaded files' documents for their import; returns the ImportBatch.

    `uploads` are Django UploadedFiles (anything with name, size and read()). A file too
    large, a damaged zip or a batch over the limit is recorded as a failed document at once.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            force=force,
            created_by=user if user is not None and user.is_authenticated else None,
            create_grades=create_grades,
        )
        rows, budget = [], Budget(MAX_UPLOAD_UNPACKED_BYTES, "upload")
        try:
            for upload in uploads:
                rows += _store(batch, upload, len(rows), budget)
        except TooManyDocuments:
            _delete_stored(batch)
            error = f"more than {MAX_DOCUMENTS_PER_BATCH} documents in one upload"
            rows = [_refused(batch, 0, "(the upload)", error)]
        ImportBatchFile.objects.bulk_create(rows)
        refused = len([row for row in rows if not row.stored_as])
        JobStatus.objects.create(
            key=batch.job_key, state=JobStatus.State.BUILDING, done=refused, total=len(rows)
        )
    return batch


def _store(batch, upload, order, budget):
    """Rows for one uploaded file: each of its documents stored as it is unpacked, or one
    failed row (and nothing stored) if the file, or any document in it, is refused."""
    if upload.size > MAX_UPLOAD_BYTES:
        error = f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB"
        return [_refused(batch, order, display_name(upload.name), error)]
    rows = []
    try:
        for name, data in unpack(upload.name, upload.read(), budget):
            if order + len(rows) >= MAX_DOCUMENTS_PER_BATCH:
                raise TooManyDocuments
            at = order + len(rows)
            stored = storage().save(f"imports/{batch.pk}/{at}", ContentFile(data))
            rows.append(
                ImportBatchFile(
                    batch=batch, order=at, name=display_name(name)[:255], stored_as=stored
                )
            )
    except UnreadableDocument as error:
        for row in rows:
            storage().delete(row.stored_as)
        return [_refused(batch, order, display_name(upload.name), str(error))]
    return rows


def batch_status(batch):
    """{"state": "building" | "interrupted" | "ready" | "failed", "done": n, "total": n}."""
    return queue.job_progress(JobStatus.objects.get(key=batch.job_key))


def _progress(batch, **fields):
    done = batch.files.exclude(state=ImportBatchFile.State.WAITING).count()
    JobStatus.objects.filter(key=batch.job_key).update(done=done, **fields)


def run_batch(batch_pk, task_id):
    """Import the batch's waiting documents in order; returns how many this run went through."""
    batch = ImportBatch.objects.select_related("force", "created_by").get(pk=batch_pk)
    _progress(batch, state=JobStatus.State.BUILDING, task_id=task_id)
    vocabulary = vocabulary_for(batch.force)
    waiting = batch.files.filter(state=ImportBatchFile.State.WAITING).values_list("pk", flat=True)
    imported = 0
    try:
        for pk in list(waiting):
            imported += _import_file(batch, pk, vocabulary)
    except Exception:
        _progress(batch, state=JobStatus.State.FAILED)
        raise
    _progress(batch, state=JobStatus.State.READY)
    _delete_stored(batch)
    return imported


def _delete_stored(batch):
    """The batch is done: its stored documents go (a killed run's leftovers too)."""
    folder = f"imports/{batch.pk}"
    try:
        _, names = storage().listdir(folder)
    except FileNotFoundError:
        return
    for name in names:
        storage().delete(f"{folder}/{name}")


def _import_file(batch, pk, vocabulary):
    """Import one waiting document and mark it done (imported or failed), in one transaction.

    Returns 1, or 0 if another run had done it already."""
    with transaction.atomic():
        # The row lock (and SQLite's write lock) makes a second run of the batch wait for
        # this document and then find it done: no document is imported twice.
        row = (
            ImportBatchFile.objects.select_for_update()
            .filter(pk=pk, state=ImportBatchFile.State.WAITING)
            .first()
        )
        if row is None:
            return 0
        try:
            with storage().open(row.stored_as, "rb") as file:
                data = file.read()
        except FileNotFoundError:
            data = None
        result = FileResult(row.name, error="the uploaded file was lost; upload it again")
        if data is not None:
            result = import_one(
                batch.force,
                row.name,
                data,
                user=batch.created_by,
                create_grades=batch.create_grades,
                vocabulary=vocabulary,
            )
        row.state = ImportBatchFile.State.IMPORTED if result.ok else ImportBatchFile.State.FAILED
        row.profile = result.profile
        row.counts = result.counts
        row.unplaced_words = result.unplaced_words
        row.warnings = result.warnings
        row.error = result.error
        row.stored_as = ""
        row.save()
        _progress(batch)
    return 1
