"""Background work on profiles, run by the task worker: PDF prints, force zips, imports.

This is the only module that queues work: the PDF cache, the zips and the import batches
(profiles.printing.pdf, profiles.importing.batches) do the work and know nothing of the queue; the
views and profiles.signals ask here for it to be done.

Every task here is idempotent (a second run finds the PDF current, or builds the same zip),
so a task queued twice, retried or picked up again after its worker died does no harm.
"""

import json
import logging

from django.conf import settings
from django.db import transaction
from django_tasks import task

from jobs import queue
from jobs.models import JobStatus
from profiles.importing import batches
from profiles.models import RoleProfile
from profiles.printing import pdf

logger = logging.getLogger(__name__)

# A save's print goes before a zip, and a zip before the reprints after a deploy.
SAVE_PRIORITY = 10
ZIP_PRIORITY = 0
IMPORT_PRIORITY = 0
REPRINT_PRIORITY = -10


@task(takes_context=True, priority=SAVE_PRIORITY)
def render_profile(context, profile_pk, reprint=False, attempt=1):
    """Print a profile's PDF if its cached one is not current (or, with reprint, anyway)."""
    with queue.job(context, attempt, profile=profile_pk) as line:
        line.update(pdf.print_profile(profile_pk, reprint=reprint))
        return line["outcome"]


@task(takes_context=True, priority=SAVE_PRIORITY)
def render_force(context, force_pk, attempt=1):
    """A force's texts changed: queue a print of each of its published profiles."""
    with queue.job(context, attempt, force=force_pk) as line:
        profiles = pdf.profiles_to_print(force_pk).values_list("pk", flat=True)
        for profile_pk in profiles:
            queue.enqueue_once(render_profile, profile_pk)
        line["queued"] = len(profiles)
        return len(profiles)


@task(takes_context=True, priority=ZIP_PRIORITY)
def build_zip(context, force_pk, attempt=1):
    with queue.job(context, attempt, force=force_pk) as line:
        line["profiles"] = pdf.build_zip(force_pk, str(context.task_result.id))
        return line["profiles"]


@task(takes_context=True, priority=REPRINT_PRIORITY)
def reprint_after_deploy(context, attempt=1):
    """Queue a print of every published profile whose PDF is not current (after a deploy)."""
    with queue.job(context, attempt) as line:
        queued = 0
        published = RoleProfile.objects.published().select_related("force")
        for profile in published.only("pk", "force_id", "force__slug").iterator():
            if pdf.current_key(profile) is None:
                queue.enqueue_once(render_profile.using(priority=REPRINT_PRIORITY), profile.pk)
                queued += 1
        pdf.remember_printed_layout()
        line["queued"] = queued
        return queued


def reprint_if_the_layouts_changed(sender, worker_id, **kwargs):
    """A worker starting after a deploy that changed the PDF layouts queues the reprints.

    profiles.signals connects it to jobs.queue.worker_ready."""
    if pdf.printed_layout() != pdf.code_version():
        task_id = queue.enqueue_once(reprint_after_deploy)
        line = {"event": "pdf.layout_changed", "worker": worker_id, "task_id": task_id}
        logger.info(json.dumps(line), extra={"json": line})


@task(takes_context=True, priority=IMPORT_PRIORITY)
def import_batch(context, batch_pk, attempt=1):
    """Import the documents of a browser upload still waiting (see profiles.importing.batches)."""
    with queue.job(context, attempt, batch=batch_pk) as line:
        line["documents"] = batches.run_batch(batch_pk, str(context.task_result.id))
        return line["documents"]


# Queueing. Printing after a save is queued once the transaction has committed (profiles.signals);
# a task already waiting for the same profile is not queued again. PDF_RENDER_AFTER_SAVE
# (settings) turns it off.


def render_after_save(profile_pk=None, force_pk=None):
    if not settings.PDF_RENDER_AFTER_SAVE:
        return
    if profile_pk is not None:
        queue.enqueue_once(render_profile, profile_pk)
    else:
        queue.enqueue_once(render_force, force_pk)


def reprint_soon(profile):
    """Queue a print of a profile whose download is its previous PDF meanwhile.

    Returns the fresh PDF's key when the print has already run (the immediate task
    backend: tests, a demo without a worker), else None.
    """
    queue.enqueue_once(render_profile, profile.pk)
    if queue.uses_database(render_profile):
        return None
    return pdf.current_key(profile)


def start_zip(force):
    """Queue a build of the zip of the force's published profiles, unless one is under way."""
    status = JobStatus.objects.filter(key=pdf.zip_key(force.pk)).first()
    if status is not None and status.state == JobStatus.State.BUILDING:
        if not status.task_id or queue.is_pending(status.task_id):
            return
        queue.forget_if_abandoned(status.task_id)
    pdf.write_zip_status(force.pk, JobStatus.State.BUILDING, 0, 0, task_id="")
    task_id = queue.enqueue_once(build_zip, force.pk)
    JobStatus.objects.filter(
        key=pdf.zip_key(force.pk), state=JobStatus.State.BUILDING, task_id=""
    ).update(task_id=task_id)


def start_batch(force, uploads, *, user=None, create_grades=False):
    """Store the uploaded files' documents (profiles.importing.batches) and queue their import."""
    with transaction.atomic():
        batch = batches.store_batch(force, uploads, user=user, create_grades=create_grades)
        queue_batch(batch)
    return batch


def queue_batch(batch):
    """Queue the batch's task (again, after its worker died) and remember the task's id."""
    status = JobStatus.objects.get(key=batch.job_key)
    if status.task_id:
        if queue.is_pending(status.task_id):
            return
        queue.forget_if_abandoned(status.task_id)
    JobStatus.objects.filter(key=batch.job_key).update(state=JobStatus.State.BUILDING, task_id="")
    task_id = queue.enqueue_once(import_batch, batch.pk)
    JobStatus.objects.filter(key=batch.job_key, task_id="").update(task_id=task_id)
