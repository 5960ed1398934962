"""The demo users sign in as DESIGN.md promises (`admin`, `hr-<force>`, `manager-<force>`,
password `demo-password`): with DEBUG (make run) administrators are not asked for a second
factor; where DEBUG is off (make serve SERVE_DEMO=1, production) they always are, and the demo
admin's authenticator secret is the one setup_demo prints."""

import io
from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp

from profiles.management.commands.setup_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.test_settings import PRODUCTION, run_python

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def log_in(client, username):
    return client.post(
        reverse("login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )


def test_setup_demo_prints_the_admins_authenticator_secret(demo):
    assert "The demo admin's authenticator secret (asked for; MFA_FOR_STAFF): " in demo
    assert demo.strip().endswith(DEMO_TOTP_SECRET)


def test_with_mfa_for_staff_off_the_demo_admin_signs_in_with_the_password(client, settings, demo):
    settings.MFA_FOR_STAFF = False

    response = log_in(client, "admin")

    assert response.redirect_chain[-1][0] == reverse("profiles:list")
    assert client.get("/admin/").status_code == 200


def test_with_mfa_for_staff_on_the_demo_admin_gives_the_code_of_the_printed_secret(
    client, settings, demo
):
    settings.MFA_FOR_STAFF = True
    response = log_in(client, "admin")
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two_factor") + "?")
    assert client.get("/admin/").url.startswith(reverse("accounts:two_factor"))

    code = f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}"
    response = client.post(reverse("accounts:two_factor"), {"code": code, "next": "/admin/"})

    assert response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("username", ["hr-gwent", "manager-lancashire"])
def test_the_demo_force_users_sign_in_with_the_password_and_no_code(
    client, settings, demo, username
):
    settings.MFA_FOR_STAFF = True

    response = log_in(client, username)

    assert SESSION_KEY in client.session
    assert response.redirect_chain[-1][0] == reverse("profiles:list")


@pytest.mark.parametrize(
    "environment, printed",
    [
        ({"DEBUG": "true"}, "False"),
        (PRODUCTION, "True"),
        ({**PRODUCTION, "MFA_FOR_STAFF": "true"}, "True"),
        ({"DEBUG": "true", "MFA_FOR_STAFF": "true"}, "True"),
    ],
)
def test_mfa_for_staff_is_off_by_default_only_with_debug(environment, printed):
    result = run_python(
        environment, "-c", "from django.conf import settings; print(settings.MFA_FOR_STAFF)"
    )
    assert result.stdout.strip() == printed, result.stderr


def test_mfa_for_staff_cannot_be_turned_off_with_debug_off():
    result = run_python({**PRODUCTION, "MFA_FOR_STAFF": "false"}, "manage.py", "check")
    assert result.returncode != 0
    assert "MFA_FOR_STAFF may be false only with DEBUG on" in result.stderr
