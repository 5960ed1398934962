"""Background work on profiles, run by the task worker: PDF prints, force zips, imports.

Every task here is idempotent (a second run finds the PDF current, or builds the same zip),
so a task queued twice, retried or picked up again after its worker died does no harm.
"""

import json
import logging

from django_tasks import task

from jobs import queue
from profiles import pdf
from profiles.importing import batches
from profiles.models import RoleProfile, Status

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
        published = RoleProfile.objects.filter(status=Status.PUBLISHED).select_related("force")
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
