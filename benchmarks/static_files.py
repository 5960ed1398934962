"""Static files for a benchmark that renders pages with DEBUG off, from a fresh clone.

With DEBUG off the pages name static files by their hashed names (config.storage), which
only `collectstatic` writes; a fresh clone has collected nothing. A benchmark calls
`use_temporary_root()` before `django.setup()` and `collect()` after it: the files are
collected, as a deployment does, into a throw-away folder, never into the clone's.
"""

import os
import tempfile


def use_temporary_root():
    os.environ["STATIC_ROOT"] = tempfile.mkdtemp(prefix="benchmark-static-")


def collect():
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
