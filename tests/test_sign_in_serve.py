"""Issue 21's "done means", walked against `make serve` (scripts/serve.sh: PostgreSQL, gunicorn,
the task worker, DEBUG off, SERVE_DEMO=1) with the OIDC_* variables set to a real OpenID
provider (tests/oidc.py): the HR group edits, the managers' group reads and downloads, no
mapped group sees the no-access page, a moved group takes effect at the next sign-in, and with
LOCAL_LOGIN at its production default (`staff`) a password is refused to non-staff while the
demo admin signs in with the password and a code from the secret setup_demo prints.

Each person is a `requests` session following the redirects a browser follows, through the
provider's own login page (tests/oidc.sign_in_at_provider).
"""

import re
import secrets
import subprocess
import sys
from base64 import b32decode
from pathlib import Path

import pytest
import requests
from django_otp.oath import totp

from profiles.management.commands.setup_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.html_forms import form_data, parse_form
from tests.oidc import CLIENT_ID, OpenIDProvider, client_metadata, sign_in_at_provider
from tests.serving_stack import (
    answers,
    free_port,
    postgres_fixture,  # noqa: F401 (the fixture `postgres`)
    processes_of,
    wait_for,
)

ROOT = Path(__file__).resolve().parent.parent
CSO = "/profiles/gwent/community-support-officer/"


@pytest.fixture
def stack(postgres, tmp_path):
    """The provider, and serve.sh configured for it; (origin, provider, environment)."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    provider = OpenIDProvider([client_metadata(origin)])
    environment = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "DATABASE_URL": postgres.url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SERVE_VAR": str(tmp_path / "var"),
        "SERVE_DEMO": "1",
        "PORT": str(port),
        "WEB_WORKERS": "2",
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": provider.settings_entry()["client_secret"],
        "OIDC_PROVIDER_NAME": "Gwent Police account",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["bash", "scripts/serve.sh"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    try:
        login = wait_for(lambda: answers(f"{origin}/accounts/login/"), 240, "serve.sh answering")
        assert login.status_code == 200, log.read_text()[-2000:]
        yield origin, provider, {**environment, "DJANGO_SETTINGS_MODULE": "config.settings"}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            for pid in processes_of(process):
                subprocess.run(["kill", "-9", str(pid)], check=False)
            provider.stop()


def manage(environment, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def sign_in(origin, login):
    """A new browser signed in through the provider as `login`; it ends where the app sends it."""
    browser = requests.Session()
    page = browser.get(f"{origin}/accounts/login/", timeout=30)
    assert "Sign in with Gwent Police account" in page.text
    start = browser.get(f"{origin}/oidc/authenticate/", allow_redirects=False, timeout=30)
    back = sign_in_at_provider(start.headers["Location"], login, back_to=origin)
    browser.landing = browser.get(back, timeout=60)
    return browser


def post_form(browser, url, form):
    return browser.post(url, data=form, headers={"Referer": url}, timeout=60)


def csrf_token(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def log_in_with_password(origin, username):
    browser = requests.Session()
    url = f"{origin}/accounts/login/"
    form = {"username": username, "password": DEMO_PASSWORD}
    form["csrfmiddlewaretoken"] = csrf_token(browser.get(url, timeout=30))
    browser.landing = post_form(browser, url, form)
    return browser


def test_the_issues_done_means_on_make_serve(stack):
    origin, provider, environment = stack
    manage(environment, "map_identity_group", "--force", "gwent", "--role", "hr_editor", "hr")
    manage(environment, "map_identity_group", "--force", "gwent", "--role", "hiring_manager", "hm")
    provider.put_account("hr.person", groups=["hr"], name="Harriet Roe")
    provider.put_account("manager.person", groups=["hm"])
    provider.put_account("new.starter", groups=["unmapped"])

    # A member of the HR group signs in and edits a published profile (on its working draft).
    hr = sign_in(origin, "hr.person")
    assert hr.landing.url == f"{origin}/profiles/"
    editor = hr.get(f"{origin}{CSO}edit/", timeout=60)
    start = parse_form(editor.text, "start-draft")
    draft_editor = post_form(hr, f"{origin}{start.action}", start.data())
    assert draft_editor.url == f"{origin}{CSO.rstrip('/')}--draft/edit/"
    data = form_data(draft_editor.text, "editor")
    data["profile-purpose"] = ["Patrol the beat, on foot."]
    saved = post_form(hr, draft_editor.url, data)
    assert saved.url == f"{origin}{CSO}"
    assert "Patrol the beat, on foot." in saved.text

    # A member of the managers' group reads and downloads, and may not edit.
    manager = sign_in(origin, "manager.person")
    page = manager.get(f"{origin}{CSO}", timeout=60)
    assert page.status_code == 200 and "Patrol the beat, on foot." not in page.text
    pdf = manager.get(f"{origin}{CSO}pdf/", timeout=120)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert manager.get(f"{origin}{CSO}edit/", timeout=60).status_code == 403

    # Someone in no mapped group sees the no-access page and nothing else.
    starter = sign_in(origin, "new.starter")
    assert starter.landing.url == f"{origin}/accounts/no-access/"
    assert "You have no access yet" in starter.landing.text
    assert starter.get(f"{origin}{CSO}", timeout=30).url == f"{origin}/accounts/no-access/"

    # The provider moves the HR user to the managers: their next sign-in takes edit away.
    provider.put_account("hr.person", groups=["hm"], name="Harriet Roe")
    moved = sign_in(origin, "hr.person")
    assert moved.get(f"{origin}{CSO}edit/", timeout=60).status_code == 403

    # With OIDC_ISSUER set and DEBUG off, LOCAL_LOGIN is "staff": a demo HR editor's password
    # is refused ...
    refused = log_in_with_password(origin, "hr-gwent")
    assert refused.landing.url == f"{origin}/accounts/login/"
    assert "Only administrators sign in with a password here." in refused.landing.text
    # ... and the demo admin gives the password and a code of the printed secret.
    admin = log_in_with_password(origin, "admin")
    assert admin.landing.url.startswith(f"{origin}/accounts/two-factor/")
    code = {
        "code": f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}",
        "csrfmiddlewaretoken": csrf_token(admin.landing),
    }
    assert post_form(admin, admin.landing.url, code).url == f"{origin}/profiles/"
    site = admin.get(f"{origin}/admin/", timeout=30)
    assert (site.status_code, site.url) == (200, f"{origin}/admin/")
