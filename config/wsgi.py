"""WSGI entry point, with the process tuned for serving many small requests."""

import gc
import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

import textstat  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402

from accounts.language import drop_empty_fallbacks  # noqa: E402  (needs the apps loaded)


def warm_up():
    """Does now what each process did on its first requests, at a person's expense: imports
    every view and builds the URL resolver in each language (0.5 s, on the first page),
    compiles the templates (0.25 s) and loads the pronouncing dictionary behind the editor's
    readability advice (profiles.wording: 0.5 s and 76 MB, on the first editor). Under
    `gunicorn --preload` (make serve) the workers share what the master did."""
    drop_empty_fallbacks()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("profiles:list")
    folder = Path(settings.BASE_DIR) / "templates"
    for template in sorted(folder.rglob("*.html")):
        get_template(template.relative_to(folder).as_posix())
    textstat.flesch_reading_ease("The officer patrols the neighbourhood and talks to people.")
    # Nothing above should have opened one, and a forked worker must never share it.
    connections.close_all()


warm_up()
# A page allocates tens of thousands of objects that reference counting frees; with the
# default threshold (700) the collector ran dozens of young-generation passes per page, about
# a tenth of a list page's CPU. Collected every 50,000 allocations instead, cycles still go.
gc.set_threshold(50_000, 10, 10)
