"""Run task workers: django-tasks-db's worker loop, with heartbeats, in one or more processes."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker

from jobs import outages, queue


class Command(BaseCommand):
    help = "Run background tasks (PDF prints, zips, imports) until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=int(os.environ.get("TASK_WORKER_PROCESSES", "1")),
            help="Worker processes to run side by side (default: TASK_WORKER_PROCESSES or 1).",
        )
        parser.add_argument("--interval", type=float, default=0.5)
        parser.add_argument("--batch", action="store_true", help="Run what is waiting, then stop.")
        parser.add_argument("--worker-id", default="")

    def handle(self, *, processes, interval, batch, worker_id, **options):
        if processes > 1:
            return self.supervise(processes, interval)
        worker_id = worker_id or f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}"
        queue.current_worker = worker_id
        heartbeat = queue.Heartbeat(worker_id)
        heartbeat.beat_once()
        heartbeat.start()
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=interval,
            batch=batch,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            outages.run_through_outages(
                worker,
                on_start=lambda: queue.worker_ready.send(
                    sender=self.__class__, worker_id=worker_id
                ),
            )
        finally:
            worker.reset_signals()
            queue.current_worker = ""
            heartbeat.stopping.set()
            # Stopped while the database is away: the heartbeat just goes stale.
            with suppress(*outages.DATABASE_ERRORS):
                queue.WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()

    def supervise(self, processes, interval):
        """Start `processes` single workers, restart any that dies, stop them all on a signal."""
        command = [sys.executable, sys.argv[0], "run_tasks", "--interval", str(interval)]
        children = {}
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            for child in children.values():
                child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while True:
            for number in range(processes):
                child = children.get(number)
                if not stopping and (child is None or child.poll() is not None):
                    # Their own process group: a Ctrl-C reaches them once, through stop().
                    # The same session: with the kernel's autogroup scheduling, a `nice`
                    # given to this command then ranks them below the web workers too.
                    children[number] = subprocess.Popen(command, process_group=0)
            if stopping:
                break
            time.sleep(1)
        for child in children.values():
            child.wait()
