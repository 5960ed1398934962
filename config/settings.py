"""Settings for the role profiles site, read from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name, default)
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default):
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = envbool("DEBUG", "false")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "development-only-secret-key-never-use-in-production"
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
        )
    }
except (ValueError, KeyError) as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from error
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite behind a web server: readers never wait for the writer (WAL); a writer waits
    # its turn (busy timeout) and takes the lock when its transaction begins (IMMEDIATE),
    # since a transaction that read first cannot wait to write and fails "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=envint("SQLITE_BUSY_TIMEOUT", "20"),
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "reversion",
    "vetting",
    "competencies",
    "profiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: Accept-Language or the switch's cookie (after the session,
    # before CommonMiddleware); accounts.language then applies a signed-in user's choice.
    # Django's LocaleMiddleware, without looking for a language in paths (config.middleware).
    "config.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.language.LanguageMiddleware",
    # Django's messages, with the storage made on first use (config.middleware).
    "config.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Idle timeout, second factor for passwords of administrators, the no-access page.
    "accounts.middleware.SignInMiddleware",
    "profiles.middleware.ProfileMovedMiddleware",
    # A database error answers a 503 page with Retry-After (config.outage).
    "config.outage.DatabaseOutageMiddleware",
]

# The editor posts every row of a profile at once: up to profiles.limits.MAX_DECLARED_FORMS
# forms of about a dozen fields each.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 8000
# An import upload may hold up to 500 documents (profiles.importing.batches), each its own file.
DATA_UPLOAD_MAX_NUMBER_FILES = 500
# Each imported document is read in a child process with these budgets (issue 26).
IMPORT_DOCUMENT_SECONDS = envint("IMPORT_DOCUMENT_SECONDS", 20)
IMPORT_DOCUMENT_MEMORY_MB = envint("IMPORT_DOCUMENT_MEMORY_MB", 300)

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out user or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # A password, as far as LOCAL_LOGIN allows; users of the identity provider (accounts).
    "accounts.backends.LocalLoginBackend",
    "accounts.backends.IdentityProviderBackend",
]
# Login throttling (django-axes) on /accounts/login/ and /admin/login/: after
# AXES_FAILURE_LIMIT wrong passwords a user name, and separately an address, is locked out
# for AXES_COOLOFF_MINUTES; an administrator unlocks earlier by deleting its access attempt
# in the admin (or `manage.py axes_reset_username NAME`). The address is REMOTE_ADDR.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profiles:list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# The interface in English or Welsh (README "Cymraeg"): locale/cy/LC_MESSAGES/django.po.
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
}

# Sessions in the database, as Django's own store keeps them, read with SQL compiled once.
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Production serving (issue 15): static files, Content-Security-Policy ---------------------
# Whitenoise serves the collected static files under compressed, content-hashed names from
# the WSGI process itself, so gunicorn needs no separate web server for them.
INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
# django-csp's, with the policy of the settings built once (config.content_security).
MIDDLEWARE.append("config.content_security.CSPMiddleware")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticStorage"},
}
# With DEBUG on (make run) static files come straight from the source folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# No inline script or style anywhere: every page loads its code and styles from STATIC_URL.
# Bootstrap draws form controls with data: SVGs; the PDF logo preview is a data: URI too.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see DEPLOY.md).
if envbool("TRUST_X_FORWARDED_PROTO", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# `make serve` speaks plain HTTP on the loopback interface, where a client keeps no Secure cookie.
if not DEBUG and not envbool("SECURE_COOKIES", "true"):
    SESSION_COOKIE_SECURE = False
    CSRF_COOKIE_SECURE = False

# --- Background work (issue 15): django-tasks on the database, run by `manage.py run_tasks` ---
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "jobs"]
TASKS = {
    "default": {
        # "django_tasks.backends.immediate.ImmediateBackend" runs each task inside the
        # request that queues it (tests; a demo without a worker).
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Seconds between a worker's heartbeats; a worker silent for four of them is taken for dead
# and its running task is queued again.
TASK_WORKER_HEARTBEAT_SECONDS = envint("TASK_WORKER_HEARTBEAT_SECONDS", "5")
# Print a profile's PDF in the background after every save (and a force's after its texts change).
PDF_RENDER_AFTER_SAVE = envbool("PDF_RENDER_AFTER_SAVE", "true")
# Where PDFs and zips are kept (default MEDIA_ROOT/pdf-cache).
PDF_CACHE_DIR = os.environ.get("PDF_CACHE_DIR", "")

# --- Shared state (issue 15): the PDF cache and zips, through Django's storage API -------------
# Filesystem by default (a folder all web and worker processes share: one machine, or NFS);
# S3-compatible object storage with PDF_STORAGE=s3 (django-storages and boto3; see DEPLOY.md).
PDF_STORAGE = os.environ.get("PDF_STORAGE", "filesystem")
if PDF_STORAGE == "filesystem":
    STORAGES["pdfs"] = {"BACKEND": "profiles.storage.PdfCacheStorage"}
elif PDF_STORAGE == "s3":
    STORAGES["pdfs"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("PDF_S3_BUCKET", ""),
            "location": os.environ.get("PDF_S3_PREFIX", "pdf-cache"),
            "endpoint_url": os.environ.get("PDF_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PDF_S3_REGION") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": True,
        },
    }
else:
    raise ImproperlyConfigured(f"PDF_STORAGE must be filesystem or s3, not {PDF_STORAGE!r}")

# --- Operations (issue 15): JSON logs, health ----------------------------------------------
# One JSON line per request (config.logging) and per task (jobs.queue) on standard error;
# LOG_FORMAT=plain gives the bare messages (the default with DEBUG on).
# Outside every middleware but the two that answer without Django (HTTPS redirect, static
# files), so its duration and CPU count the session, authentication, CSRF and CSP too.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "config.logging.RequestLogMiddleware",
)
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "config.logging.JsonFormatter"},
        "plain": {"format": "%(message)s"},
    },
    "filters": {"database_outage": {"()": "config.outage.DatabaseOutageLogFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["database_outage"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        name: {"level": os.environ.get("APP_LOG_LEVEL", "INFO")}
        for name in ("requests", "jobs", "profiles.printing.pdf", "profiles.tasks")
    },
}
# /healthz/ answers 503 when the oldest task waiting to run has waited longer than this.
HEALTHZ_MAX_QUEUE_AGE = envint("HEALTHZ_MAX_QUEUE_AGE", "600")
# Load balancers probe /healthz/ over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# --- Sign-in (issue 21): the force's identity provider, local accounts, sessions -----------------
# OpenID Connect (accounts.oidc): one provider from the environment, kept as a list so that
# each force may have its own later. Discovery from <OIDC_ISSUER>/.well-known/openid-configuration.
OIDC_PROVIDERS = []
if os.environ.get("OIDC_ISSUER"):
    for name in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        if not os.environ.get(name):
            raise ImproperlyConfigured(f"{name} must be set when OIDC_ISSUER is set")
    OIDC_PROVIDERS.append(
        {
            "issuer": os.environ["OIDC_ISSUER"],
            "client_id": os.environ["OIDC_CLIENT_ID"],
            "client_secret": os.environ["OIDC_CLIENT_SECRET"],
            "name": os.environ.get("OIDC_PROVIDER_NAME", "your force's account"),
            "groups_claim": os.environ.get("OIDC_GROUPS_CLAIM", "groups"),
            # Entra ID: "oid", the user's id across the tenant's applications.
            "subject_claim": os.environ.get("OIDC_SUBJECT_CLAIM", "sub"),
        }
    )
# Sign-out is a form whose answer sends the browser on to the provider's end_session_endpoint.
for _provider in OIDC_PROVIDERS:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(
        "{0.scheme}://{0.netloc}".format(urlsplit(_provider["issuer"]))
    )
# Seconds between leaving for the provider and coming back with its answer.
OIDC_STATE_MAX_AGE = envint("OIDC_STATE_MAX_AGE", "600")
# Who may sign in with a password here: true (anyone), staff (administrators, with a second
# factor), false (nobody).
LOCAL_LOGIN = os.environ.get(
    "LOCAL_LOGIN", "true" if DEBUG or not OIDC_PROVIDERS else "staff"
).lower()
if LOCAL_LOGIN not in ("true", "staff", "false"):
    raise ImproperlyConfigured(f"LOCAL_LOGIN must be true, staff or false, not {LOCAL_LOGIN!r}")
# Administrators who sign in with a password give a code from an authenticator app too
# (accounts.middleware). Only a DEBUG site (make run's demo, development) may turn that off,
# and there it is off unless asked for, so the demo `admin` signs in with its password alone.
MFA_FOR_STAFF = envbool("MFA_FOR_STAFF", "false" if DEBUG else "true")
if not MFA_FOR_STAFF and not DEBUG:
    raise ImproperlyConfigured("MFA_FOR_STAFF may be false only with DEBUG on")
# A session ends after this many minutes without a request.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", "60")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Role profiles")

# --- Read-only API for recruitment systems (issue 23): /api/v1/, api.views -----------------------
# Django REST framework with Bearer tokens (api.models.ApiToken), JSON only (no browsable API,
# which needs a session and inline scripts), and no OPTIONS: GET and HEAD, anything else 405.
INSTALLED_APPS += ["rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.HasApiToken"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
# Requests per token ("<n>/second|minute|hour|day"); counted in the default cache, so per
# process unless CACHES names a shared cache.
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "600/hour")
SPECTACULAR_SETTINGS = {
    "TITLE": "Role profiles API",
    "DESCRIPTION": "Published role profiles for recruitment systems. Send "
    "`Authorization: Bearer <token>`; a token is issued per integration by an administrator.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from drf-spectacular-sidecar, served as our own static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}
