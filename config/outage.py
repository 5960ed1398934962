"""While the database is away, every page answers 503 "try again shortly" instead of a 500.

A database error raised in a view reaches the middleware's process_exception; one raised in a
middleware before the view (loading the session, say) reaches handler500, which Django calls
while the error is still being handled. Either way the page says nothing of the driver's
message (hosts, ports), which goes to the log as one line.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

logger = logging.getLogger("requests")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable(request, error):
    logger.warning(
        "Database unavailable for %s %s: %s", request.method, request.path, type(error).__name__
    )
    # Rendered without the request: context processors would ask the database again.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return unavailable(request, exception)
        return None


def server_error(request):
    """handler500: the 503 page for a database error raised outside a view, else Django's 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return unavailable(request, error)
    return defaults.server_error(request)


class DatabaseOutageLogFilter(logging.Filter):
    """Keeps the traceback of a database outage out of django.request's log: one line a request."""

    def filter(self, record):
        if record.exc_info and isinstance(record.exc_info[1], DATABASE_ERRORS):
            record.msg = f"{record.msg} (database unavailable: %s)"
            record.args = (*record.args, type(record.exc_info[1]).__name__)
            record.exc_info = None
            record.exc_text = None
        return True
