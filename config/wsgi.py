"""WSGI entry point, with the process tuned for serving many small requests."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from accounts.language import drop_empty_fallbacks  # noqa: E402  (needs the apps loaded)

drop_empty_fallbacks()
# A page allocates tens of thousands of objects that reference counting frees; with the
# default threshold (700) the collector ran dozens of young-generation passes per page, about
# a tenth of a list page's CPU. Collected every 50,000 allocations instead, cycles still go.
gc.set_threshold(50_000, 10, 10)
