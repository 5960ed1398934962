"""Keeps a task worker alive while its database is away: it waits, longer each time up to a
cap, logs the outage once when it starts and once when it ends, and then goes on with the queue.
"""

import logging
import time
from contextlib import suppress

from django.db import InterfaceError, OperationalError, connections
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs import queue

logger = logging.getLogger("jobs")

DATABASE_ERRORS = (OperationalError, InterfaceError)
FIRST_WAIT_SECONDS = 0.5
LONGEST_WAIT_SECONDS = 8


def close_connections():
    """Drops this thread's connections: a broken one is never reused after the outage."""
    for connection in connections.all(initialized_only=True):
        with suppress(*DATABASE_ERRORS):
            connection.close()


def database_answers():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")


def run_through_outages(worker, on_start=lambda: None, sleep=time.sleep, probe=database_answers):
    """on_start() once, then worker.run(), each tried again whenever it stops on a database
    error, until the worker is stopped (a worker started while the database is away waits too).
    While the database is away, `probe` asks it, longer apart each time, until it answers."""
    started = False
    outage_started = None
    wait = FIRST_WAIT_SECONDS
    while worker.running:
        try:
            if outage_started is not None:
                probe()
                requeue_own_tasks(worker.worker_id)
                logger.warning(
                    "Database back after %.1f s; worker %s goes on with the queue.",
                    time.monotonic() - outage_started,
                    worker.worker_id,
                )
                outage_started = None
                wait = FIRST_WAIT_SECONDS
            if not started:
                on_start()
                started = True
            worker.run()
            return
        except DATABASE_ERRORS as error:
            close_connections()
            if outage_started is None:
                outage_started = time.monotonic()
                logger.warning(
                    "Database unavailable (%s); worker %s waits for it, retrying every %d s at most.",
                    type(error).__name__,
                    worker.worker_id,
                    LONGEST_WAIT_SECONDS,
                )
            sleep(wait)
            wait = min(wait * 2, LONGEST_WAIT_SECONDS)


def requeue_own_tasks(worker_id):
    """Puts back in the queue the task this worker was running when the database went away.

    The worker runs one task at a time and is running none now, so a task still RUNNING in its
    name was cut off by the outage; it is queued again (or failed, after MAX_ATTEMPTS).
    """
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "id", "worker_ids", "started_at"
    )
    for result in running:
        if result.worker_ids and result.worker_ids[-1] == worker_id:
            queue.abandon_or_requeue(result)
