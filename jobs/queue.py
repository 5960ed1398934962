"""The task queue on top of django-tasks: de-duplicated enqueues, retries, leases, dead workers.

django-tasks-db keeps each task as a row and its worker claims a row with SELECT … FOR
UPDATE SKIP LOCKED, so one task runs once however many workers there are. What it leaves
to us, and this module adds:
- de-duplication: a task already waiting with the same arguments is not queued again;
- retries: a task that raises is queued again, later, up to MAX_ATTEMPTS times;
- dead workers: a worker writes a heartbeat; a task RUNNING on a worker whose heartbeat
  stopped (killed, machine lost) is put back in the queue, so no job is lost;
- leases: a named lock with an expiry, so that two workers never work on the same thing
  (a profile's PDF) at once, and a killed holder blocks no one for long.
"""

import json
import logging
import os
import socket
import threading
import time
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.conf import settings
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import Min, Q
from django.dispatch import Signal
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from jobs.models import JobStatus, Lease, WorkerHeartbeat

logger = logging.getLogger("jobs")

MAX_ATTEMPTS = 3


def heartbeat_seconds():
    return settings.TASK_WORKER_HEARTBEAT_SECONDS


def stale_after():
    """A worker not heard of for this long is taken for dead."""
    return timedelta(seconds=4 * heartbeat_seconds())


def uses_database(task):
    return isinstance(task.get_backend(), DatabaseBackend)


def enqueue_once(task, *args, **kwargs):
    """Queue the task unless the same task with the same arguments is already waiting.

    Returns the waiting task's id, or the new one's. Two processes enqueuing at the same
    instant may both queue it; the tasks here are idempotent, so the second costs little.
    """
    if uses_database(task):
        waiting = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY,
            task_path=task.module_path,
            backend_name=task.backend,
            args_kwargs={"args": list(args), "kwargs": kwargs},
        ).values_list("id", flat=True)
        existing = waiting.first()
        if existing is not None:
            return str(existing)
    return task.enqueue(*args, **kwargs).id


def retry_later(context, attempt, error):
    """Queue the task again after a failure, later each time, until MAX_ATTEMPTS."""
    if attempt >= MAX_ATTEMPTS:
        return None
    result = context.task_result
    task = result.task
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=5 * attempt**2))
    kwargs = {**result.kwargs, "attempt": attempt + 1}
    logger.warning("Task %s failed (%s); attempt %d queued.", task.name, error, attempt + 1)
    return task.enqueue(*result.args, **kwargs)


@contextmanager
def job(context, attempt=1, **fields):
    """Run a task's body: one JSON log line with its duration, and a retry if it raises."""
    started = time.monotonic()
    result = context.task_result
    line = {
        "event": "task",
        "task": result.task.name,
        "task_id": str(result.id),
        "attempt": attempt,
        "worker": (result.worker_ids or [""])[-1],
        "started": round(time.time(), 3),
        **fields,
    }
    try:
        yield line
    except Exception as error:
        line.update(status="failed", error=type(error).__name__)
        retry_later(context, attempt, error)
        raise
    else:
        line.setdefault("status", "ok")
    finally:
        line["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
        logger.info(json.dumps(line), extra={"json": line})


# Leases


# The id of the worker this process runs as (set by run_tasks), for leases and logs.
current_worker = ""


def _lease_holder():
    if current_worker:
        return f"worker:{current_worker}"
    return f"process:{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def try_lease(key, seconds, holder):
    """Take the lease if it is free, expired, ours or a dead worker's; True if we hold it now."""
    now = timezone.now()
    expires = now + timedelta(seconds=seconds)
    alive = [f"worker:{worker}" for worker in live_workers().values_list("worker_id", flat=True)]
    dead_workers = Q(holder__startswith="worker:") & ~Q(holder__in=alive)
    taken = (
        Lease.objects.filter(key=key)
        .filter(Q(expires_at__lt=now) | Q(holder=holder) | dead_workers)
        .update(holder=holder, expires_at=expires)
    )
    if taken:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(key=key, holder=holder, expires_at=expires)
    except IntegrityError:
        return False
    return True


@contextmanager
def lease(key, seconds=300, wait=600):
    """Hold the named lease while the block runs; wait for it if another holder has it."""
    holder = _lease_holder()
    deadline = time.monotonic() + wait
    while not try_lease(key, seconds, holder):
        if time.monotonic() > deadline:
            raise TimeoutError(f"The lease {key!r} stayed taken for {wait} s.")
        time.sleep(0.2)
    try:
        yield
    finally:
        Lease.objects.filter(key=key, holder=holder).delete()


# Workers: heartbeats and the tasks of dead ones


def beat(worker_id, started_at):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )


def live_workers():
    return WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - stale_after())


def requeue_abandoned():
    """Put back in the queue the tasks RUNNING on workers that stopped beating.

    A task abandoned MAX_ATTEMPTS times (it kills its worker, say) is marked failed instead.
    Returns how many were queued again.
    """
    alive = set(live_workers().values_list("worker_id", flat=True))
    requeued = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "id", "worker_ids", "started_at"
    )
    for result in running:
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        if result.started_at and result.started_at > timezone.now() - stale_after():
            continue  # claimed by a worker that has not beaten yet
        abandon_or_requeue(result)
        requeued += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - 10 * stale_after()).delete()
    return requeued


def abandon_or_requeue(result):
    still_running = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
    if len(result.worker_ids) >= MAX_ATTEMPTS:
        still_running.update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path="jobs.queue.WorkerLost",
            traceback="The worker running this task stopped, every time it was tried.",
        )
        logger.warning("Task %s lost its worker %d times: failed.", result.pk, MAX_ATTEMPTS)
    else:
        still_running.update(status=TaskResultStatus.READY, started_at=None)
        logger.warning("Task %s lost its worker: queued again.", result.pk)


def is_pending(task_id):
    """Whether the task will still run or is running on a live worker."""
    if not task_id:
        return False
    result = DBTaskResult.objects.filter(pk=task_id).only("status", "worker_ids").first()
    if result is None:
        return False
    if result.status == TaskResultStatus.READY:
        return True
    if result.status != TaskResultStatus.RUNNING:
        return False
    return live_workers().filter(worker_id=(result.worker_ids or [""])[-1]).exists()


def job_progress(status):
    """{"state", "done", "total"} of a JobStatus; a build whose task will no longer run
    (its worker died, no other took it up) is "interrupted", to be started again."""
    state = status.state
    if state == JobStatus.State.BUILDING and status.task_id and not is_pending(status.task_id):
        state = "interrupted"
    return {"state": state, "done": status.done, "total": status.total}


def forget_if_abandoned(task_id):
    """Mark a task failed if it is RUNNING on a dead worker, so it is not picked up again."""
    if task_id and not is_pending(task_id):
        DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path="jobs.queue.WorkerLost",
            traceback="The worker running this task stopped; the job was started again.",
        )


def queue_state():
    """How many tasks wait to run now, and how long the oldest of them has waited (seconds)."""
    waiting = DBTaskResult.objects.ready()
    summary = waiting.aggregate(oldest=Min("enqueued_at"))
    count = waiting.count()
    oldest = summary["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"waiting": count, "oldest_seconds": round(age, 1)}


class Heartbeat(threading.Thread):
    """Beats for a worker every few seconds and requeues the tasks of dead workers."""

    def __init__(self, worker_id):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.missed = False

    def beat_once(self):
        try:
            beat(self.worker_id, self.started_at)
            requeue_abandoned()
        except (OperationalError, InterfaceError) as error:
            # The worker's loop logs the outage once (jobs.outages); no traceback a beat.
            if not self.missed:
                logger.info(
                    "The heartbeat of %s waits for the database: %s",
                    self.worker_id,
                    type(error).__name__,
                )
            self.missed = True
            with suppress(OperationalError, InterfaceError):
                connection.close()
        except Exception:
            logger.exception("The heartbeat of %s failed.", self.worker_id)
        else:
            self.missed = False
        finally:
            close_old_connections()

    def run(self):
        while not self.stopping.wait(heartbeat_seconds()):
            self.beat_once()
        connection.close()


# Sent by each worker process as it starts, before it takes its first task.
worker_ready = Signal()
