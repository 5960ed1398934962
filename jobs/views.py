"""/healthz/: whether this web process can reach the database and storage, and how the queue is."""

import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jobs import queue

logger = logging.getLogger("jobs")


def _check(checks, name, probe):
    started = time.monotonic()
    try:
        checks[name] = {"ok": True, **(probe() or {})}
    except RuntimeError as error:  # our own findings (the queue's age): safe to show
        checks[name] = {"ok": False, "error": str(error)[:300]}
    except Exception as error:
        # A driver's message names hosts, ports and paths: it goes to the log, not to
        # whoever asks (load balancers and the public alike reach /healthz/).
        logger.warning("Health check %s failed: %s: %s", name, type(error).__name__, error)
        checks[name] = {"ok": False, "error": f"{type(error).__name__} (details in the log)"}
    checks[name]["ms"] = round((time.monotonic() - started) * 1000, 1)


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage():
    storage = storages["pdfs"]
    storage.save("health/probe", ContentFile(str(time.time()).encode()))
    with storage.open("health/probe", "rb") as file:
        file.read()


def _queue():
    state = queue.queue_state()
    state["workers"] = queue.live_workers().count()
    if state["oldest_seconds"] > settings.HEALTHZ_MAX_QUEUE_AGE:
        raise RuntimeError(
            f"the oldest waiting task has waited {state['oldest_seconds']} s; "
            f"{state['workers']} worker(s) alive"
        )
    return state


@never_cache
@require_safe
def healthz(request):
    """200 when the database, the PDF storage and the task queue are well, else 503."""
    checks = {}
    _check(checks, "database", _database)
    _check(checks, "storage", _storage)
    if checks["database"]["ok"]:
        _check(checks, "queue", _queue)
    else:
        checks["queue"] = {"ok": False, "error": "no database"}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"ok": healthy, **checks}, status=200 if healthy else 503)
