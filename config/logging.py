"""One JSON object per log line, for log collectors; and a line per request."""

import json
import logging
import time
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    """Writes the record's `json` fields (see jobs.queue.job) or its message as one JSON line."""

    def format(self, record):
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "json", None)
        if fields is not None:
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


request_logger = logging.getLogger("requests")


def parameter_names(query_string, most=20):
    """The names in a query string, as sent (values are never logged: they may be a search
    or a sign-in code); not request.GET, which refuses a query string with too many fields."""
    names = {part.split("=", 1)[0] for part in query_string.split("&") if part}
    return sorted(names)[:most]


class RequestLogMiddleware:
    """Logs each request: method, path, the names of its query parameters (never their
    values), status, duration, CPU, user, force and profile.

    `cpu_ms` is the CPU this request's thread used: unlike `duration_ms` it does not grow
    while the process waits for a CPU, so it says what a page costs on a busy machine too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        cpu_started = time.thread_time()
        response = self.get_response(request)
        line = {
            "event": "request",
            "method": request.method,
            "path": request.path,
            "query": parameter_names(request.META.get("QUERY_STRING", "")),
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            "cpu_ms": round((time.thread_time() - cpu_started) * 1000, 1),
        }
        # Only a user the view already loaded: logging costs no query.
        user = request.__dict__.get("_cached_user")
        if user is not None and user.is_authenticated:
            line["user"] = user.get_username()
            membership = getattr(user, "membership", None)
            if membership is not None:
                line["force"] = membership.force.slug
        match = request.resolver_match
        if match is not None and "slug" in match.kwargs:
            line["profile"] = f"{match.kwargs.get('force_slug', '')}/{match.kwargs['slug']}"
        request_logger.info("%s", JsonText(line), extra={"json": line})
        return response


class JsonText:
    """A log message that is its fields as JSON, made only when a formatter asks for the
    message (the plain format): JsonFormatter writes the fields themselves."""

    __slots__ = ("fields",)

    def __init__(self, fields):
        self.fields = fields

    def __str__(self):
        return json.dumps(self.fields)
