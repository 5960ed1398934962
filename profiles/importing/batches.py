"""Browser imports as background batches: the upload is stored, the task worker imports it.

`store_batch` (the request, through profiles.tasks.start_batch, which then queues one task)
streams each uploaded file, as it is, to the shared storage (`storages["pdfs"]`, which web
and worker processes reach alike): the request unpacks nothing.
`run_batch` (the task) first unpacks the uploaded zips, one budget for the whole upload
(MAX_UPLOAD_UNPACKED_BYTES), each member stored as it is inflated and each zip replaced by
its documents in one transaction; then it imports the documents still waiting, each in its
own transaction that also marks the document imported: a worker killed mid-batch leaves
every document either imported (with its draft) or waiting (with nothing), so the batch run
again, by the next worker or by the user's "resume", imports the rest and no document twice.
"""

from functools import partial

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
# What all the documents of one upload may unpack to, together (zips are inflated by the
# worker one member at a time and each document is stored as it comes out).
MAX_UPLOAD_UNPACKED_BYTES = 100 * 1024 * 1024
# An uploaded file's rows are numbered from its position times this, so a zip's documents,
# which take its place, keep the upload's order.
ORDER_SLOT = MAX_DOCUMENTS_PER_BATCH
# Where an uploaded file waits, as uploaded; a document taken out of a zip is `<order>`.
UPLOADED = "upload-"


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
    """Store the uploaded files for their import; returns the ImportBatch.

    `uploads` are Django UploadedFiles (anything with name, size and chunks()); each is
    streamed to the storage as it is, a zip still packed (the worker unpacks it). A file too
    large is recorded as a failed document at once.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            force=force,
            created_by=user if user is not None and user.is_authenticated else None,
            create_grades=create_grades,
        )
        rows = [_store(batch, upload, number * ORDER_SLOT) for number, upload in enumerate(uploads)]
        ImportBatchFile.objects.bulk_create(rows)
        refused = len([row for row in rows if not row.stored_as])
        JobStatus.objects.create(
            key=batch.job_key, state=JobStatus.State.BUILDING, done=refused, total=len(rows)
        )
    return batch


def _store(batch, upload, order):
    """The row of one uploaded file, stored as it is; or a failed row if it is too large."""
    name = display_name(upload.name)[:255]
    if upload.size > MAX_UPLOAD_BYTES:
        error = f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB"
        return _refused(batch, order, name, error)
    stored = storage().save(f"imports/{batch.pk}/{UPLOADED}{order}", upload)
    return ImportBatchFile(batch=batch, order=order, name=name, stored_as=stored)


def _is_packed(row):
    return f"/{UPLOADED}" in row.stored_as and row.name.lower().endswith(".zip")


def unpack_zips(batch):
    """Replace each uploaded zip still waiting by its documents, stored one by one as they are
    inflated, all of the upload's zips within one budget. A damaged or refused zip becomes a
    failed row; more than MAX_DOCUMENTS_PER_BATCH documents refuse the whole upload."""
    packed = [
        row for row in batch.files.filter(state=ImportBatchFile.State.WAITING) if _is_packed(row)
    ]
    if not packed:
        return
    budget = Budget(MAX_UPLOAD_UNPACKED_BYTES, "upload")
    try:
        for row in packed:
            _unpack_zip(batch, row.pk, budget)
    except TooManyDocuments:
        with transaction.atomic():
            batch.files.all().delete()
            _refused(batch, 0, "(the upload)", TOO_MANY).save()
        _delete_stored(batch)
    _progress(batch, total=batch.files.count())


TOO_MANY = f"more than {MAX_DOCUMENTS_PER_BATCH} documents in one upload"


def _unpack_zip(batch, pk, budget):
    with transaction.atomic():
        # Locked, like a document being imported: a second run finds it unpacked already.
        row = (
            ImportBatchFile.objects.select_for_update()
            .filter(pk=pk, state=ImportBatchFile.State.WAITING)
            .first()
        )
        if row is None:
            return
        others = batch.files.exclude(pk=pk).count()
        documents, error = [], "the uploaded file was lost; upload it again"
        try:
            with storage().open(row.stored_as, "rb") as file:
                data = file.read(MAX_UPLOAD_BYTES + 1)
        except FileNotFoundError:
            data = None
        if data is not None:
            try:
                documents = _store_members(batch, row, data, budget, others)
            except UnreadableDocument as refusal:
                error = str(refusal)
        # The packed upload goes once its documents (or its refusal) are written.
        transaction.on_commit(partial(storage().delete, row.stored_as))
        if documents:
            row.delete()
            ImportBatchFile.objects.bulk_create(documents)
        else:
            row.state, row.error, row.stored_as = ImportBatchFile.State.FAILED, error, ""
            row.save()


def _store_members(batch, row, data, budget, others):
    """The rows of the zip's documents, each stored as it is inflated; on a refusal, none
    stored (UnreadableDocument, or TooManyDocuments past the upload's limit)."""
    documents = []
    try:
        for index, (name, content) in enumerate(unpack(row.name, data, budget)):
            if others + index >= MAX_DOCUMENTS_PER_BATCH or index >= ORDER_SLOT:
                raise TooManyDocuments
            order = row.order + index
            stored = storage().save(f"imports/{batch.pk}/{order}", ContentFile(content))
            documents.append(
                ImportBatchFile(batch=batch, order=order, name=name[:255], stored_as=stored)
            )
    except (UnreadableDocument, TooManyDocuments):
        for document in documents:
            storage().delete(document.stored_as)
        raise
    return documents


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
    unpack_zips(batch)
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
