"""Test settings: the project's settings with test-only values from the environment."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# PDFs are printed after a save only where a test asks for it (profiles.printing.pdf), and cached
# outside the working tree. Tasks run inside the call that queues them, except in the tests
# of the real worker (tests/test_worker.py).
PDF_RENDER_AFTER_SAVE = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PDF_CACHE_DIR = os.path.join(tempfile.gettempdir(), f"role-profiles-test-pdf-cache-{os.getpid()}")

# Tests serve static files from the source folders: no collectstatic, so no manifest. The
# production storage (hashed, compressed names) is exercised by tests/test_serving.py.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
